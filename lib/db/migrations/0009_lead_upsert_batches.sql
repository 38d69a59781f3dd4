-- Several upserts in one statement, in the given order, as one transaction (lib/leads/upsert.ts
-- gathers the writes that arrive while one is in flight): one round trip and one commit for all.
-- Each item is an object {company, id, phone, email_lc, fields, defaults, tags, now, replace_tags};
-- the answers come back in the items' order, as lead_upsert gives them.
--
-- In a batch, lead_upsert's statements use plans made once per connection (generic plans). Plans
-- made for each call's values matched a phone by scanning every lead of a company whose
-- statistics lagged behind its growth (a busy form on a new company): milliseconds a write instead
-- of an index lookup. Set here, once a batch, it costs nothing per write, where a SET clause on
-- lead_upsert itself would be paid on every call.
CREATE FUNCTION lead_upsert_many(p_items jsonb) RETURNS TABLE (ord integer, result jsonb)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_item jsonb;
  v_ord bigint;
BEGIN
  PERFORM set_config('plan_cache_mode', 'force_generic_plan', true);
  FOR v_item, v_ord IN SELECT value, ordinality FROM jsonb_array_elements(p_items) WITH ORDINALITY LOOP
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
      coalesce((v_item->>'replace_tags')::boolean, false)
    );
    RETURN NEXT;
  END LOOP;
END;
$$;
