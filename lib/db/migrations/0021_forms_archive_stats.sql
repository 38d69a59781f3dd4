-- Forms can be archived (their page and intake answer 410), and each form's views and starts
-- are counted per day, source and campaign (lib/forms/stats.ts; its submissions and spam are
-- read from the submissions themselves).
CREATE TABLE "form_stats" (
	"form_id" uuid NOT NULL,
	"day" date NOT NULL,
	"source" text NOT NULL,
	"campaign" text NOT NULL,
	"views" integer DEFAULT 0 NOT NULL,
	"starts" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "form_stats_form_id_day_source_campaign_pk" PRIMARY KEY("form_id","day","source","campaign")
);
--> statement-breakpoint
ALTER TABLE "forms" ADD COLUMN "archived_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "form_stats" ADD CONSTRAINT "form_stats_form_id_forms_id_fk" FOREIGN KEY ("form_id") REFERENCES "public"."forms"("id") ON DELETE cascade ON UPDATE no action;