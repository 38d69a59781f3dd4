-- lead_upsert_many: several upserts in one statement, in the given order, as one transaction
-- (lib/leads/upsert.ts gathers the writes that arrive while one is in flight): one round trip and
-- one commit for all. Each item is an object {company, id, phone, email_lc, fields, defaults, tags,
-- now, replace_tags, write}; the answers come back with their item's position (ord), each as lead_upsert
-- gives it (the number of webhook events queued included). This file is the function's only
-- source: it is applied after the migrations (lib/db/functions/apply.ts), and a name in double
-- braces is a fragment that lib/db/functions/fragments.ts writes out, the same wherever it is used.
--
-- In a batch, lead_upsert's statements use plans made once per connection (generic plans). Plans
-- made for each call's values matched a phone by scanning every lead of a company whose
-- statistics lagged behind its growth (a busy form on a new company): milliseconds a write instead
-- of an index lookup. Set here, once a batch, it costs nothing per write, where a SET clause on
-- lead_upsert itself would be paid on every call.
--
-- Most of a batch is written in two statements. Called once per write, lead_upsert spends more on
-- running its own statements (the locks, the lookup, the tags, the webhook check, each a statement
-- of its own) than on the write: a new lead cost the database about four times a plain insert.
-- Here, after taking every lock of the batch:
-- - the new people (no lead yet) are inserted with one statement;
-- - the updates of leads that no other write of the batch could reach are made with one statement;
-- - every other write (by id, a public submission reaching a lead, or sharing a phone, an email or a
--   lead with another write of the batch) still goes through lead_upsert, in the batch's order.
-- Each statement also keeps what lead_upsert keeps: the submissions and the history entries.
-- The tag rule is a fragment, written out in each statement that needs it, rather than a SQL
-- function: as a function it ran once per row, which made the new leads' statement about a tenth
-- slower.
CREATE OR REPLACE FUNCTION lead_upsert_many(p_items jsonb) RETURNS TABLE (ord integer, result jsonb)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_item jsonb;
  v_ord bigint;
  v_new bigint[];
  v_set_pos bigint[];
  v_set_lead uuid[];
  v_done bigint[] := '{}';
  v_done_results jsonb[];
BEGIN
  PERFORM set_config('plan_cache_mode', 'force_generic_plan', true);

  -- The locks lead_upsert takes for each write (its phone and its email), all taken first, in one
  -- order: the new leads below are then safe from a concurrent write of the same person.
  PERFORM pg_advisory_xact_lock(k.key) FROM (
    SELECT DISTINCT hashtextextended(s.company::text || s.kind || s.value, 0) AS key
    FROM (
      SELECT (i->>'company')::uuid AS company, ' phone ' AS kind, i->>'phone' AS value
      FROM jsonb_array_elements(p_items) AS i WHERE i->>'id' IS NULL
      UNION ALL
      SELECT (i->>'company')::uuid, ' email ', i->>'email_lc'
      FROM jsonb_array_elements(p_items) AS i WHERE i->>'id' IS NULL
    ) AS s
    WHERE s.value IS NOT NULL
    ORDER BY 1
  ) AS k;

  -- Which writes may go together. A write is on its own when it has an id, or when another write of
  -- the batch gives the same phone or email (by id too). Of the others, one whose phone and email
  -- match no lead is new, and one whose matching leads (candidates) are no other write's candidates
  -- or target is an update that no other write of the batch can change or be changed by: another
  -- write could only reach those leads through their phone or email. For those two kinds the
  -- batch's order changes nothing. The match is lead_upsert's: by phone first, then the oldest.
  WITH items AS (
    SELECT t.ordinality AS pos, (t.value->>'company')::uuid AS company, (t.value->>'id')::uuid AS id,
           t.value->>'phone' AS phone, t.value->>'email_lc' AS email_lc,
           coalesce(t.value->'write'->>'mode' = 'fill', false) AS fill
    FROM jsonb_array_elements(p_items) WITH ORDINALITY AS t
  ), keyed AS (
    SELECT items.pos, items.company, 'phone ' || items.phone AS key FROM items WHERE items.phone IS NOT NULL
    UNION ALL
    SELECT items.pos, items.company, 'email ' || items.email_lc FROM items WHERE items.email_lc IS NOT NULL
  ), shared AS (
    SELECT c.pos FROM (
      SELECT keyed.pos, count(*) OVER (PARTITION BY keyed.company, keyed.key) AS n FROM keyed
    ) AS c WHERE c.n > 1
  ), candidates AS (
    SELECT i.pos, l.id AS lead, true AS by_phone, l.created_at
    FROM items AS i JOIN leads AS l ON l.company_id = i.company AND l.phone = i.phone
    WHERE i.id IS NULL
    UNION ALL
    SELECT i.pos, l.id, false, l.created_at
    FROM items AS i JOIN leads AS l ON l.company_id = i.company AND l.email_lc = i.email_lc
    WHERE i.id IS NULL
    UNION ALL
    SELECT items.pos, items.id, false, NULL FROM items WHERE items.id IS NOT NULL
  ), claimed AS (
    SELECT candidates.lead, count(DISTINCT candidates.pos) AS n FROM candidates GROUP BY candidates.lead
  ), claims AS (
    SELECT c.pos, bool_and(cl.n = 1) AS alone
    FROM candidates AS c JOIN claimed AS cl ON cl.lead = c.lead
    GROUP BY c.pos
  ), matches AS (
    SELECT DISTINCT ON (candidates.pos) candidates.pos, candidates.lead
    FROM candidates
    ORDER BY candidates.pos, candidates.by_phone DESC, candidates.created_at, candidates.lead
  ), paths AS (
    SELECT i.pos, m.lead,
      CASE
        WHEN i.id IS NOT NULL OR i.pos IN (SELECT shared.pos FROM shared) THEN 'one'
        WHEN m.lead IS NULL THEN 'new'
        WHEN i.fill THEN 'one'
        WHEN c.alone THEN 'set'
        ELSE 'one'
      END AS path
    FROM items AS i LEFT JOIN matches AS m ON m.pos = i.pos LEFT JOIN claims AS c ON c.pos = i.pos
  )
  SELECT coalesce(array_agg(paths.pos) FILTER (WHERE paths.path = 'new'), '{}'),
         coalesce(array_agg(paths.pos) FILTER (WHERE paths.path = 'set'), '{}'),
         coalesce(array_agg(paths.lead) FILTER (WHERE paths.path = 'set'), '{}')
  INTO v_new, v_set_pos, v_set_lead
  FROM paths;

  -- The new people's leads in one statement, as lead_upsert would make each: the defaults under
  -- the fields, the tags merged (into nothing), and an event queued for each active webhook
  -- endpoint.
  IF cardinality(v_new) > 0 THEN
    RETURN QUERY
    WITH prepared AS (
      SELECT t.ordinality AS pos, t.value AS v, gen_random_uuid() AS id,
             (t.value->>'company')::uuid AS company,
             jsonb_populate_record(
               NULL::leads, coalesce(t.value->'defaults', '{}') || (t.value->'fields')
             ) AS f,
             (t.value->>'now')::timestamptz AS at,
             {{merged_tags jsonb_array_elements_text(t.value->'tags')}} AS tags
      FROM jsonb_array_elements(p_items) WITH ORDINALITY AS t
      WHERE t.ordinality = ANY (v_new)
    ), inserted AS (
      INSERT INTO leads (
        id, company_id,
        {{lead_fields}},
        created_by, archived, archived_at, tags, tags_lc, created_at, updated_at
      )
      SELECT p.id, p.company,
        {{lead_fields (p.f)}},
        (p.f).created_by, coalesce((p.f).archived, false), CASE WHEN (p.f).archived THEN p.at END,
        p.tags, {{lowercase_tags p.tags}}, p.at, p.at
      FROM prepared AS p
      RETURNING *
    ), created AS (
      SELECT n.id, n.company_id, n.id::text AS lead_id, 'lead.created' AS event, to_jsonb(n) AS payload
      FROM inserted AS n
    ), announced AS (
      SELECT c.company_id, c.lead_id, c.event, c.payload || {{submission_answers p.v->'write'}} AS payload
      FROM created AS c
      JOIN prepared AS p ON p.id = c.id
    ), queued AS (
      {{queue_lead_events announced}}
    ), written AS (
      SELECT p.company AS company_id, p.id AS lead_id, p.at, p.v->'write' AS write, true AS created,
        '{}'::jsonb AS before, c.payload AS after,
        coalesce(p.v->'defaults', '{}') || (p.v->'fields') AS given, NULL::jsonb AS proposed,
        'lead' AS status
      FROM created AS c
      JOIN prepared AS p ON p.id = c.id
    ), kept AS (
      {{keep_submissions written}}
    ), noted AS (
      {{record_history written}}
    ), alerted AS (
      {{queue_alerts written}}
    )
    SELECT p.pos::integer,
      jsonb_build_object('created', true, 'lead', c.payload, 'queued', coalesce(k.n, 0))
    FROM created AS c
    JOIN prepared AS p ON p.id = c.id
    LEFT JOIN (
      SELECT q.lead_id, count(*) AS n
      FROM (SELECT lead_id FROM queued UNION ALL SELECT lead_id FROM alerted) AS q
      GROUP BY q.lead_id
    ) AS k ON k.lead_id = c.lead_id;
  END IF;

  -- The lone updates in one statement, as lead_upsert would make each: the given fields over the
  -- stored ones, the tags merged (or replaced), archived_at kept or set, an event per endpoint. A
  -- lead that a concurrent writer changed so that it no longer matches is left to lead_upsert below.
  IF cardinality(v_set_pos) > 0 THEN
    WITH targets AS (
      SELECT u.pos, u.lead, p_items->(u.pos::integer - 1) AS v
      FROM unnest(v_set_pos, v_set_lead) AS u(pos, lead)
    ), updated AS (
      UPDATE leads AS l SET (
        {{lead_fields}},
        archived, archived_at, tags, tags_lc, updated_at
      ) = (
        SELECT
          {{lead_fields (s.r)}},
          (s.r).archived,
          CASE
            WHEN NOT (s.r).archived THEN NULL
            WHEN l.archived THEN l.archived_at
            ELSE (t.v->>'now')::timestamptz
          END,
          m.tags, {{lowercase_tags m.tags}},
          (t.v->>'now')::timestamptz
        FROM (SELECT jsonb_populate_record(l, t.v->'fields') AS r) AS s,
        LATERAL {{merged_tags unnest(
          CASE WHEN coalesce((t.v->>'replace_tags')::boolean, false) THEN '{}' ELSE l.tags END
          || ARRAY(SELECT jsonb_array_elements_text(t.v->'tags'))
        )}} AS m
      )
      FROM targets AS t, leads AS o
      WHERE l.id = t.lead AND o.id = t.lead
        AND (l.phone = t.v->>'phone' OR l.email_lc = t.v->>'email_lc')
      -- o is the lead as it was before this statement: the history's "before".
      RETURNING t.pos, t.v, l.company_id, l.id::text AS lead_id, 'lead.updated' AS event,
        to_jsonb(l) AS payload, to_jsonb(o) AS before
    ), announced AS (
      SELECT d.company_id, d.lead_id, d.event, d.payload || {{submission_answers d.v->'write'}} AS payload
      FROM updated AS d
    ), queued AS (
      {{queue_lead_events announced}}
    ), written AS (
      SELECT d.company_id, d.lead_id::uuid AS lead_id, (d.v->>'now')::timestamptz AS at,
        d.v->'write' AS write, false AS created, d.before, d.payload AS after,
        d.v->'fields' AS given,
        NULL::jsonb AS proposed, 'attached' AS status
      FROM updated AS d
    ), noted AS (
      {{record_history written}}
    ), alerted AS (
      {{queue_alerts written}}
    )
    SELECT coalesce(array_agg(d.pos), '{}'),
      coalesce(array_agg(
        jsonb_build_object('created', false, 'lead', d.payload, 'queued', coalesce(k.n, 0))
      ), '{}')
    INTO v_done, v_done_results
    FROM updated AS d
    LEFT JOIN (
      SELECT q.lead_id, count(*) AS n
      FROM (SELECT lead_id FROM queued UNION ALL SELECT lead_id FROM alerted) AS q
      GROUP BY q.lead_id
    ) AS k ON k.lead_id = d.lead_id;
    RETURN QUERY
    SELECT u.pos::integer, u.answer
    FROM unnest(v_done, v_done_results) AS u(pos, answer);
  END IF;

  -- Every other write, one after another in the batch's order.
  FOR v_item, v_ord IN
    SELECT t.value, t.ordinality FROM jsonb_array_elements(p_items) WITH ORDINALITY AS t
    WHERE NOT (t.ordinality = ANY (v_new) OR t.ordinality = ANY (v_done))
    ORDER BY t.ordinality
  LOOP
    ord := v_ord;
    result := lead_upsert(
      (v_item->>'company')::uuid,
      (v_item->>'id')::uuid,
      v_item->>'phone',
      v_item->>'email_lc',
      v_item->'fields',
      v_item->'defaults',
      ARRAY(SELECT jsonb_array_elements_text(v_item->'tags')),
      (v_item->>'now')::timestamptz,
      coalesce((v_item->>'replace_tags')::boolean, false),
      coalesce(v_item->'write', '{}')
    );
    RETURN NEXT;
  END LOOP;
END;
$$;
