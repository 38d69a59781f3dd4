CREATE TABLE "outbox" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "outbox_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"company_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"sequence" text NOT NULL,
	"alt_sequence" text,
	"endpoint_id" uuid,
	"event" text,
	"payload" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_until" timestamp with time zone,
	"last_error" text,
	"last_status" integer,
	"lead_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "webhook_endpoints" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"company_id" uuid NOT NULL,
	"url" text NOT NULL,
	"secret" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_endpoint_id_webhook_endpoints_id_fk" FOREIGN KEY ("endpoint_id") REFERENCES "public"."webhook_endpoints"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_endpoints" ADD CONSTRAINT "webhook_endpoints_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "outbox_due_idx" ON "outbox" USING btree ("next_attempt_at") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "outbox_sequence_idx" ON "outbox" USING btree ("kind","sequence","id") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "outbox_alt_sequence_idx" ON "outbox" USING btree ("kind","alt_sequence","id") WHERE status = 'pending' and alt_sequence is not null;--> statement-breakpoint
CREATE INDEX "outbox_company_idx" ON "outbox" USING btree ("company_id","id");--> statement-breakpoint
CREATE INDEX "webhook_endpoints_company_idx" ON "webhook_endpoints" USING btree ("company_id");--> statement-breakpoint
-- lead_upsert (0005) also queues webhook events (see lib/webhooks); everything else is as it was.
CREATE OR REPLACE FUNCTION lead_upsert(
  p_company uuid,
  p_id uuid,
  p_phone text,
  p_email_lc text,
  p_fields jsonb,
  p_defaults jsonb,
  p_tags text[],
  p_now timestamptz,
  -- A default, so that the previous code's eight-argument calls keep working while it is replaced.
  p_replace_tags boolean DEFAULT false
) RETURNS jsonb
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_key bigint;
  v_lead leads;
  v_new leads;
  v_found boolean := false;
  v_tags text[];
BEGIN
  IF p_id IS NOT NULL THEN
    SELECT * INTO v_lead FROM leads WHERE id = p_id AND company_id = p_company FOR UPDATE;
    IF NOT FOUND THEN
      RETURN NULL;
    END IF;
    v_found := true;
  ELSIF p_phone IS NOT NULL OR p_email_lc IS NOT NULL THEN
    FOR v_key IN
      SELECT k FROM unnest(ARRAY[
        CASE WHEN p_phone IS NOT NULL THEN hashtextextended(p_company::text || ' phone ' || p_phone, 0) END,
        CASE WHEN p_email_lc IS NOT NULL THEN hashtextextended(p_company::text || ' email ' || p_email_lc, 0) END
      ]) AS k WHERE k IS NOT NULL ORDER BY k
    LOOP
      PERFORM pg_advisory_xact_lock(v_key);
    END LOOP;
    -- A phone match wins over an email match; among equals the oldest lead is the one.
    SELECT * INTO v_lead FROM leads
    WHERE company_id = p_company AND (phone = p_phone OR email_lc = p_email_lc)
    ORDER BY coalesce(phone = p_phone, false) DESC, created_at, id
    LIMIT 1
    FOR UPDATE;
    v_found := FOUND;
  END IF;

  SELECT coalesce(array_agg(t ORDER BY ord), '{}') INTO v_tags
  FROM (
    SELECT DISTINCT ON (lower(t)) t, ord
    FROM unnest(
      CASE WHEN p_replace_tags THEN coalesce(p_tags, '{}') ELSE coalesce(v_lead.tags, '{}') || coalesce(p_tags, '{}') END
    ) WITH ORDINALITY AS u(t, ord)
    WHERE t <> ''
    ORDER BY lower(t), ord
  ) AS merged;

  IF v_found THEN
    v_new := jsonb_populate_record(v_lead, p_fields);
    UPDATE leads SET
      name = v_new.name,
      email = v_new.email,
      email_lc = v_new.email_lc,
      phone = v_new.phone,
      phone_digits = v_new.phone_digits,
      address_street1 = v_new.address_street1,
      address_street2 = v_new.address_street2,
      address_city = v_new.address_city,
      address_state = v_new.address_state,
      address_zip = v_new.address_zip,
      address_country = v_new.address_country,
      follow_up_date = v_new.follow_up_date,
      notes = v_new.notes,
      priority = v_new.priority,
      projected_value = v_new.projected_value,
      service_type = v_new.service_type,
      source = v_new.source,
      stage = v_new.stage,
      archived = v_new.archived,
      archived_at = CASE
        WHEN NOT v_new.archived THEN NULL
        WHEN v_lead.archived THEN v_lead.archived_at
        ELSE p_now
      END,
      assigned_to = v_new.assigned_to,
      tags = v_tags,
      tags_lc = (SELECT coalesce(array_agg(lower(t)), '{}') FROM unnest(v_tags) AS t),
      updated_at = p_now
    WHERE id = v_lead.id
    RETURNING * INTO v_lead;
  ELSE
    v_new := jsonb_populate_record(NULL::leads, coalesce(p_defaults, '{}') || p_fields);
    INSERT INTO leads (
      company_id, name, email, email_lc, phone, phone_digits, address_street1, address_street2,
      address_city, address_state, address_zip, address_country, follow_up_date, notes, priority,
      projected_value, service_type, source, stage, assigned_to, created_by, archived, archived_at,
      tags, tags_lc, created_at, updated_at
    ) VALUES (
      p_company, v_new.name, v_new.email, v_new.email_lc, v_new.phone, v_new.phone_digits,
      v_new.address_street1, v_new.address_street2, v_new.address_city, v_new.address_state,
      v_new.address_zip, v_new.address_country, v_new.follow_up_date, v_new.notes, v_new.priority,
      v_new.projected_value, v_new.service_type, v_new.source, v_new.stage, v_new.assigned_to,
      v_new.created_by, coalesce(v_new.archived, false), CASE WHEN v_new.archived THEN p_now END, v_tags,
      (SELECT coalesce(array_agg(lower(t)), '{}') FROM unnest(v_tags) AS t), p_now, p_now
    )
    RETURNING * INTO v_lead;
  END IF;

  -- Every created or changed lead is queued for each active webhook endpoint of its company, in
  -- this same transaction: an event is never lost, and a write that rolls back sends none. The
  -- payload is the row as written; lib/webhooks shapes it as the API's lead.
  IF EXISTS (SELECT 1 FROM webhook_endpoints WHERE company_id = p_company AND active) THEN
    INSERT INTO outbox (company_id, kind, sequence, endpoint_id, event, payload, lead_id)
    SELECT p_company, 'webhook', e.id::text || ':' || v_lead.id::text, e.id,
      CASE WHEN v_found THEN 'lead.updated' ELSE 'lead.created' END, to_jsonb(v_lead), v_lead.id::text
    FROM webhook_endpoints e
    WHERE e.company_id = p_company AND e.active;
  END IF;

  RETURN jsonb_build_object('created', NOT v_found, 'lead', to_jsonb(v_lead));
END;
$$;
