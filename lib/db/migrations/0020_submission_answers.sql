-- The answers to a form's own questions, kept with each submission with the label each was
-- asked under (lib/forms/answers.ts).
ALTER TABLE "submissions" ADD COLUMN "answers" jsonb;
