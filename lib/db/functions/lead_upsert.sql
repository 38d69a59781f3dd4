-- lead_upsert: the upsert of POST /open-api/leads and of every other write path, in one round trip.
-- lib/leads/upsert.ts calls it (through lead_upsert_many) with normalised values; CONTRACT.md
-- states the rules. This file is the function's only source: it is applied after the migrations
-- (lib/db/functions/apply.ts), and a name in double braces is a fragment that
-- lib/db/functions/fragments.ts writes out, the same wherever it is used.
--
-- p_fields holds only the columns the request gave: a value replaces, JSON null clears, and a
-- missing key keeps the stored value (jsonb_populate_record over the existing row does exactly that).
-- It may also set archived (archived_at follows it), assigned_to, and, for a new lead, created_by.
-- p_defaults (an intake form's source and stage) fill a new lead's columns that p_fields leaves out,
-- and leave an existing lead as it is.
-- Tags are merged: existing ones first, compared case-insensitively, the first spelling kept; with
-- p_replace_tags (the admin's tag editor) the given list replaces the lead's instead.
--
-- Concurrency: the same person submitting at once, from any number of app instances, must make
-- one lead. Each call takes transaction-scoped advisory locks on its phone and its email (in a fixed
-- order, so two calls cannot deadlock) before it looks for a match. In a VOLATILE PL/pgSQL function
-- each statement takes a fresh snapshot, so the look-up after the lock sees every lead committed by
-- the call that held it.
--
-- p_write says what kind of write it is and records it (lib/leads/history.ts):
-- - mode 'replace' (the API, staff): the given fields replace the stored ones, as Rotor's contract says;
-- - mode 'fill' (a public submission): on a lead it matches, only fields the lead holds nothing in
--   are written (FILLABLE_FIELDS: never notes, stage, priority, assignee or archive state), and a
--   value that differs from a stored one is kept as a proposed change (lead_proposals) for staff;
-- - actor {kind, user, key, name}: who wrote, for the lead's history;
-- - submission: the submission's row (lib/forms/intake.ts), kept in this transaction with what
--   became of it (a new lead, or attached to one).
-- Every write adds an entry to the lead's history with each changed field's value before and after.
--
-- Every created or changed lead is queued for each active webhook endpoint of its company, in this
-- same transaction: an event is never lost, and a write that rolls back sends none. The payload is
-- the row as written; lib/webhooks shapes it as the API's lead. The answer says how many events
-- were queued (queued, alerts included), so that the caller starts the outbox's worker only when
-- there is work. A submission, or a lead an API key created, also queues its alert (lib/alerts).
CREATE OR REPLACE FUNCTION lead_upsert(
  p_company uuid,
  p_id uuid,
  p_phone text,
  p_email_lc text,
  p_fields jsonb,
  p_defaults jsonb,
  p_tags text[],
  p_now timestamptz,
  -- The default dates from when eight-argument calls were still made; CREATE OR REPLACE cannot
  -- take a default away, only a migration that drops the function could.
  p_replace_tags boolean DEFAULT false,
  p_write jsonb DEFAULT '{}'
) RETURNS jsonb
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_key bigint;
  v_lead leads;
  v_new leads;
  v_found boolean := false;
  v_tags text[];
  v_queued integer;
  v_alerts integer;
  v_fields jsonb := p_fields;
  v_proposed jsonb := '{}';
  v_before jsonb := '{}';
  v_submission jsonb := p_write->'submission';
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
    SELECT * INTO v_lead FROM {{matching_lead p_company p_phone p_email_lc}}
    FOR UPDATE;
    v_found := FOUND;
  END IF;

  SELECT merged.tags INTO v_tags
  FROM {{merged_tags unnest(
    CASE WHEN p_replace_tags THEN coalesce(p_tags, '{}') ELSE coalesce(v_lead.tags, '{}') || coalesce(p_tags, '{}') END
  )}} AS merged;

  IF v_found THEN
    v_before := to_jsonb(v_lead);
    IF p_write->>'mode' = 'fill' THEN
      -- A stranger's values never replace what the lead holds: the empty fields are filled, and a
      -- value that differs (case and spaces aside) is proposed instead.
      SELECT coalesce(jsonb_object_agg(f.key, f.value) FILTER (WHERE f.empty), '{}'),
             coalesce(jsonb_object_agg(f.key, f.value) FILTER (
               WHERE NOT f.empty AND f.key = ANY ({{proposable_fields}})
                 AND lower(btrim(v_before->>f.key)) IS DISTINCT FROM lower(btrim(f.value #>> '{}'))
                 AND f.value <> 'null'::jsonb
             ), '{}')
      INTO v_fields, v_proposed
      FROM (
        SELECT e.key, e.value, coalesce(v_before->e.key, 'null') IN ('null', '""') AS empty
        FROM jsonb_each(p_fields) AS e
        WHERE e.key = ANY ({{fillable_fields}})
      ) AS f;
    END IF;
    v_new := jsonb_populate_record(v_lead, v_fields);
    UPDATE leads SET (
      {{lead_fields}},
      archived, archived_at, tags, tags_lc, updated_at
    ) = (
      {{lead_fields v_new}},
      v_new.archived,
      CASE
        WHEN NOT v_new.archived THEN NULL
        WHEN v_lead.archived THEN v_lead.archived_at
        ELSE p_now
      END,
      v_tags, {{lowercase_tags v_tags}}, p_now
    )
    WHERE id = v_lead.id
    RETURNING * INTO v_lead;
    -- Staff moving a lead to another stage have answered it (lib/leads/response.ts).
    IF p_write->'actor'->>'kind' = 'staff' AND v_lead.first_response_at IS NULL
       AND v_before->>'stage' IS DISTINCT FROM v_lead.stage THEN
      UPDATE leads SET first_response_at = p_now, first_response_by = (p_write->'actor'->>'user')::uuid
      WHERE id = v_lead.id
      RETURNING * INTO v_lead;
    END IF;
  ELSE
    v_new := jsonb_populate_record(NULL::leads, coalesce(p_defaults, '{}') || p_fields);
    INSERT INTO leads (
      company_id,
      {{lead_fields}},
      created_by, archived, archived_at, tags, tags_lc, created_at, updated_at
    ) VALUES (
      p_company,
      {{lead_fields v_new}},
      v_new.created_by, coalesce(v_new.archived, false), CASE WHEN v_new.archived THEN p_now END,
      v_tags, {{lowercase_tags v_tags}}, p_now, p_now
    )
    RETURNING * INTO v_lead;
  END IF;

  WITH written AS (
    SELECT p_company AS company_id, v_lead.id::text AS lead_id,
      CASE WHEN v_found THEN 'lead.updated' ELSE 'lead.created' END AS event,
      to_jsonb(v_lead) || {{submission_answers p_write}} AS payload
  ), queued AS (
    {{queue_lead_events written}}
  )
  SELECT count(*) INTO v_queued FROM queued;

  -- What this write keeps: its submission, and its entry in the lead's history.
  WITH written AS (
    SELECT p_company AS company_id, v_lead.id AS lead_id, p_now AS at, p_write AS write,
      NOT v_found AS created, v_before AS before, to_jsonb(v_lead) AS after,
      CASE WHEN v_found THEN v_fields ELSE coalesce(p_defaults, '{}') || p_fields END AS given,
      v_proposed AS proposed,
      CASE WHEN v_found THEN 'attached' ELSE 'lead' END AS status
  ), kept AS (
    {{keep_submissions written}}
  ), noted AS (
    {{record_history written}}
  ), alerted AS (
    {{queue_alerts written}}
  )
  SELECT count(*) INTO v_alerts FROM alerted;
  -- A value already waiting for staff is not proposed twice.
  INSERT INTO lead_proposals (company_id, lead_id, submission_id, field, value, at)
  SELECT p_company, v_lead.id, (v_submission->>'id')::uuid, p.key, p.value, p_now
  FROM jsonb_each(v_proposed) AS p
  WHERE NOT EXISTS (
    SELECT 1 FROM lead_proposals AS o
    WHERE o.lead_id = v_lead.id AND o.status = 'open' AND o.field = p.key AND o.value = p.value
  );

  RETURN jsonb_build_object('created', NOT v_found, 'lead', to_jsonb(v_lead), 'queued', v_queued + v_alerts);
END;
$$;
