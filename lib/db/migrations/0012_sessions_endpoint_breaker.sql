-- The generated signing secret leaves the database: a copy of the database must not forge sessions.
-- It is now AUTH_SECRET (required in production) or a file in the data folder (lib/secret.ts).
DROP TABLE "app_secrets" CASCADE;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "session_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "webhook_endpoints" ADD COLUMN "failure_streak" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "webhook_endpoints" ADD COLUMN "paused_until" timestamp with time zone;