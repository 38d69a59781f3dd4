-- Fewer checks on the intake's hot path: a history entry's company and submission, and a
-- submission's form and lead, are kept without foreign keys (lib/db/schema.ts says why).
ALTER TABLE "lead_history" DROP CONSTRAINT "lead_history_company_id_companies_id_fk";
--> statement-breakpoint
ALTER TABLE "lead_history" DROP CONSTRAINT "lead_history_submission_id_submissions_id_fk";
--> statement-breakpoint
ALTER TABLE "submissions" DROP CONSTRAINT "submissions_form_id_forms_id_fk";
--> statement-breakpoint
ALTER TABLE "submissions" DROP CONSTRAINT "submissions_lead_id_leads_id_fk";
