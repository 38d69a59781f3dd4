-- Triage and merges: saved views per user (saved_views), when each user last opened each lead
-- (lead_reads; users.seen_since is when marking began for them), when a lead's stage last changed
-- (leads.stage_changed_at, kept by the stage trigger), and merges of two leads into one
-- (lead_merges, which keeps the merged lead's row for an undo; duplicate_dismissals for pairs staff
-- said are two people). Two immutable functions give the keys probable duplicates share: a name
-- lower-cased with its spaces collapsed, and an email without dots or a plus-tag in its local part.
CREATE OR REPLACE FUNCTION lead_name_key(name text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT nullif(lower(regexp_replace(btrim(name), '\s+', ' ', 'g')), '')
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION lead_email_key(email_lc text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN position('@' IN email_lc) > 1 THEN
    replace(split_part(split_part(email_lc, '@', 1), '+', 1), '.', '') || '@' || split_part(email_lc, '@', 2)
  END
$$;
--> statement-breakpoint
CREATE TABLE "duplicate_dismissals" (
	"lead_a" uuid NOT NULL,
	"lead_b" uuid NOT NULL,
	"company_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "duplicate_dismissals_lead_a_lead_b_pk" PRIMARY KEY("lead_a","lead_b")
);
--> statement-breakpoint
CREATE TABLE "lead_merges" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"company_id" uuid NOT NULL,
	"survivor_id" uuid NOT NULL,
	"merged_id" uuid NOT NULL,
	"merged_row" jsonb NOT NULL,
	"changes" jsonb NOT NULL,
	"moved" jsonb NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"by_user_id" uuid,
	"undone_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "lead_reads" (
	"user_id" uuid NOT NULL,
	"lead_id" uuid NOT NULL,
	"seen_at" timestamp with time zone NOT NULL,
	CONSTRAINT "lead_reads_user_id_lead_id_pk" PRIMARY KEY("user_id","lead_id")
);
--> statement-breakpoint
CREATE TABLE "saved_views" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"company_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"name" text NOT NULL,
	"query" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "stage_changed_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "seen_since" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "duplicate_dismissals" ADD CONSTRAINT "duplicate_dismissals_lead_a_leads_id_fk" FOREIGN KEY ("lead_a") REFERENCES "public"."leads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duplicate_dismissals" ADD CONSTRAINT "duplicate_dismissals_lead_b_leads_id_fk" FOREIGN KEY ("lead_b") REFERENCES "public"."leads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_merges" ADD CONSTRAINT "lead_merges_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_merges" ADD CONSTRAINT "lead_merges_by_user_id_users_id_fk" FOREIGN KEY ("by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_reads" ADD CONSTRAINT "lead_reads_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_reads" ADD CONSTRAINT "lead_reads_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "saved_views" ADD CONSTRAINT "saved_views_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "saved_views" ADD CONSTRAINT "saved_views_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "lead_merges_merged_idx" ON "lead_merges" USING btree ("company_id","merged_id");--> statement-breakpoint
CREATE INDEX "lead_merges_survivor_idx" ON "lead_merges" USING btree ("survivor_id");--> statement-breakpoint
CREATE UNIQUE INDEX "saved_views_name_idx" ON "saved_views" USING btree ("user_id",lower("name"));--> statement-breakpoint
CREATE INDEX "leads_name_key_idx" ON "leads" USING btree ("company_id",lead_name_key("name"));--> statement-breakpoint
CREATE INDEX "leads_email_key_idx" ON "leads" USING btree ("company_id",lead_email_key("email_lc"));
--> statement-breakpoint
UPDATE "leads" SET "stage_changed_at" = "updated_at";
--> statement-breakpoint
CREATE OR REPLACE FUNCTION lead_stage_in_pipeline() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_stage stages;
BEGIN
  IF TG_OP = 'UPDATE' AND lower(NEW.stage) IS DISTINCT FROM lower(OLD.stage) THEN
    NEW.stage_changed_at := now();
  END IF;
  IF NEW.stage IS NULL OR btrim(NEW.stage) = ''
     OR (TG_OP = 'UPDATE' AND lower(NEW.stage) IS NOT DISTINCT FROM lower(OLD.stage)) THEN
    RETURN NEW;
  END IF;
  SELECT * INTO v_stage FROM stages
  WHERE company_id = NEW.company_id AND lower(name) = lower(btrim(NEW.stage));
  IF NOT FOUND THEN
    INSERT INTO stages (company_id, name, kind, position)
    VALUES (NEW.company_id, btrim(NEW.stage), 'open',
      (SELECT coalesce(max(position), 0) + 1 FROM stages WHERE company_id = NEW.company_id))
    ON CONFLICT DO NOTHING;
  ELSIF v_stage.retired_at IS NOT NULL THEN
    -- A retired stage written again comes back, at the end of the pipeline.
    UPDATE stages SET retired_at = NULL,
      position = (SELECT coalesce(max(position), 0) + 1 FROM stages WHERE company_id = NEW.company_id)
    WHERE id = v_stage.id;
  END IF;
  RETURN NEW;
END
$$;
