-- The pipeline: each company's ordered stages, open, won or lost (lib/leads/pipeline.ts). A trigger
-- keeps every stage leads are in within their company's pipeline, whatever wrote it (the API, a
-- form, the admin, a bulk action): a stage the pipeline does not know is added as open, as Rotor
-- takes any stage, and a retired one written again comes back. The lead keeps the stage as written
-- (the API's contract); a lead without one counts as in the first open stage. A new company starts
-- with New, Contacted, Quoted, Scheduled, Won and Lost.
CREATE TABLE "stages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"company_id" uuid NOT NULL,
	"name" text NOT NULL,
	"kind" text DEFAULT 'open' NOT NULL,
	"position" integer NOT NULL,
	"retired_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "stages" ADD CONSTRAINT "stages_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "stages_name_idx" ON "stages" USING btree ("company_id",lower("name"));
--> statement-breakpoint
INSERT INTO "stages" ("company_id", "name", "kind", "position")
SELECT c.id, d.name, d.kind, d.position
FROM "companies" c
CROSS JOIN (VALUES ('New', 'open', 1), ('Contacted', 'open', 2), ('Quoted', 'open', 3),
  ('Scheduled', 'open', 4), ('Won', 'won', 5), ('Lost', 'lost', 6)) AS d(name, kind, position);
--> statement-breakpoint
-- The stages leads are in already join the pipeline as open ones, after the defaults.
INSERT INTO "stages" ("company_id", "name", "kind", "position")
SELECT company_id, min(btrim(stage)), 'open', 6 + row_number() OVER (PARTITION BY company_id ORDER BY lower(btrim(stage)))
FROM "leads"
WHERE stage IS NOT NULL AND btrim(stage) <> ''
GROUP BY company_id, lower(btrim(stage))
ON CONFLICT DO NOTHING;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION lead_stage_in_pipeline() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_stage stages;
BEGIN
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
--> statement-breakpoint
CREATE TRIGGER leads_stage_in_pipeline BEFORE INSERT OR UPDATE OF stage ON "leads"
FOR EACH ROW EXECUTE FUNCTION lead_stage_in_pipeline();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION company_default_pipeline() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO stages (company_id, name, kind, position)
  VALUES (NEW.id, 'New', 'open', 1), (NEW.id, 'Contacted', 'open', 2), (NEW.id, 'Quoted', 'open', 3),
    (NEW.id, 'Scheduled', 'open', 4), (NEW.id, 'Won', 'won', 5), (NEW.id, 'Lost', 'lost', 6);
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER companies_default_pipeline AFTER INSERT ON "companies"
FOR EACH ROW EXECUTE FUNCTION company_default_pipeline();
