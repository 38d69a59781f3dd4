-- Trigram indexes back the substring search on name, email and phone digits.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
