/**
 * SQL that several statements of the functions in this folder must each spell out in full, kept
 * here once. A SQL function would keep it once in the database too, but it runs once per row: for
 * the tag rule that made lead_upsert_many's insert of new leads about a tenth slower. So each
 * function's source names the fragment, `{{name}}` or `{{name argument}}`, and it is written out
 * when the function is applied; the database then runs the same statements as if typed by hand.
 * Code that runs one of these statements itself writes it out with expandFragments too.
 */

/**
 * The columns a write copies from its fields (the row jsonb_populate_record makes of them), for a
 * new lead and an update alike. The functions set the others themselves (archived, archived_at,
 * created_by, the tags, the times) or never (search_text is generated; latitude and longitude are
 * not written by the upsert).
 */
export const LEAD_FIELDS = [
  "name",
  "email",
  "email_lc",
  "phone",
  "phone_digits",
  "address_street1",
  "address_street2",
  "address_city",
  "address_state",
  "address_zip",
  "address_country",
  "follow_up_date",
  "notes",
  "priority",
  "projected_value",
  "service_type",
  "source",
  "stage",
  "assigned_to",
] as const;

/** What staff keep on a lead that no public submission writes, even where the lead has nothing. */
const STAFF_FIELDS = [
  "follow_up_date",
  "notes",
  "priority",
  "projected_value",
  "stage",
  "assigned_to",
] as const;

/**
 * What a public submission may write on a lead it matches, and only where the lead holds nothing:
 * never the notes, stage, priority, assignee or archive state staff keep (lead_upsert's fill mode).
 */
export const FILLABLE_FIELDS = LEAD_FIELDS.filter(
  (field) => !(STAFF_FIELDS as readonly string[]).includes(field),
);

/**
 * Of those, the ones whose different value is shown to staff as a proposed change: not the derived
 * ones (they follow the email and the phone), nor the source (a later visit's own is on its record).
 */
export const PROPOSABLE_FIELDS = FILLABLE_FIELDS.filter(
  (field) => field !== "email_lc" && field !== "phone_digits" && field !== "source",
);

/** The fields a lead's history records the change of: the ones people see (not the derived ones). */
export const HISTORY_FIELDS = [
  ...LEAD_FIELDS.filter((field) => field !== "email_lc" && field !== "phone_digits"),
  "archived",
  "tags",
] as const;

const textArray = (items: readonly string[]) => `ARRAY[${items.map((i) => `'${i}'`).join(", ")}]::text[]`;

/*
 * A relation of written leads, as record_history and keep_submissions read it, has the columns
 * company_id, lead_id (uuid), at, write (the item's write: mode, actor, submission), created,
 * before and after (the lead's row as jsonb; before is '{}' for a new lead), given (the fields and
 * defaults the write gave, jsonb, by column), proposed (jsonb) and
 * status (what became of a submission: lead, attached, or, kept without a lead, spam, held, invalid
 * or queued). keep_submissions reads company_id, lead_id, status and write only.
 */

/**
 * What a write changed: {field: [before, after]} for each of HISTORY_FIELDS that differs between
 * two jsonb rows of leads. Only the fields the write gave (`given`, its fields and defaults as
 * jsonb) and the tags and archive state can have changed, so only those are compared: comparing
 * every column made each write a tenth slower on the embedded database.
 */
function leadChanges(before: string, after: string, given: string): string {
  return (
    "(SELECT coalesce(jsonb_object_agg(h.k, jsonb_build_array(h.b, h.a)), '{}') FROM (" +
    `SELECT DISTINCT f.k, ${before}->f.k AS b, ${after}->f.k AS a ` +
    `FROM unnest(ARRAY(SELECT jsonb_object_keys(${given})) || '{tags,archived}'::text[]) AS f(k) ` +
    `WHERE f.k = ANY (${textArray(HISTORY_FIELDS)})) AS h ` +
    "WHERE h.b IS DISTINCT FROM h.a " +
    // Absent, null, no tags and not archived are all "nothing": no change between two of them.
    "AND NOT (coalesce(h.b, 'null') IN ('null', '[]', 'false') " +
    "AND coalesce(h.a, 'null') IN ('null', '[]', 'false')))"
  );
}

/**
 * A fragment's text for its argument ("" when none is given), placed at column of a line that
 * starts with indent, and continued on lines that start with indent too.
 */
type Fragment = (argument: string, column: number, indent: string) => string;

function required(name: string, argument: string): string {
  if (!argument) throw new Error(`SQL fragment ${name} needs an argument: {{${name} ...}}`);
  return argument;
}

/** Items separated by commas, on lines of about 100 characters, the first one starting at column. */
function wrap(items: readonly string[], column: number, indent: string): string {
  const lines: string[] = [];
  let line = "";
  let width = 100 - column;
  for (const item of items) {
    const next = line ? `${line}, ${item}` : item;
    if (line && next.length + 1 > width) {
      lines.push(`${line},`);
      line = item;
      width = 100 - indent.length;
    } else {
      line = next;
    }
  }
  lines.push(line);
  return lines.join(`\n${indent}`);
}

/**
 * Which lead a person's phone, else email, matches: a phone match wins over an email match; among
 * equals the oldest lead is the one. A FROM item of at most one row of leads, for the company,
 * phone and lower-cased email the arguments name (SQL expressions). lead_upsert looks the match up
 * with it; lib/leads/matching-lead.ts asks the same question before a write that must not reach
 * the lead (a member's new lead that is already someone else's).
 */
export function matchingLead(company: string, phone: string, emailLc: string): string[] {
  return [
    "leads",
    `WHERE company_id = ${company} AND (phone = ${phone} OR email_lc = ${emailLc})`,
    `ORDER BY coalesce(phone = ${phone}, false) DESC, created_at, id`,
    "LIMIT 1",
  ];
}

const FRAGMENTS: Record<string, Fragment> = {
  /** LEAD_FIELDS by name, or, given a row, that row's values of them: `{{lead_fields v_new}}`. */
  lead_fields: (row, column, indent) =>
    wrap(row ? LEAD_FIELDS.map((field) => `${row}.${field}`) : LEAD_FIELDS, column, indent),

  /**
   * The tag rule: the tags the argument (a set-returning call, such as unnest of the stored tags
   * followed by the given ones) yields, without empty ones and without case-insensitive repeats,
   * the first spelling kept, in their first order. A subquery of one row whose column is `tags`,
   * usable as a value or in FROM.
   */
  merged_tags: (source, _column, indent) =>
    [
      "(SELECT coalesce(array_agg(kept.tag ORDER BY kept.n), '{}') AS tags FROM (",
      "  SELECT DISTINCT ON (lower(u.tag)) u.tag, u.n",
      // A source written over several lines moves in with the FROM it now follows.
      `  FROM ${required("merged_tags", source).replaceAll("\n", "\n  ")} WITH ORDINALITY AS u(tag, n)`,
      "  WHERE u.tag <> ''",
      "  ORDER BY lower(u.tag), u.n",
      ") AS kept)",
    ].join(`\n${indent}`),

  /** The lead a person matches (matchingLead above): `{{matching_lead company phone email_lc}}`. */
  matching_lead: (names, _column, indent) => {
    const [company, phone, emailLc, ...rest] = required("matching_lead", names).split(/\s+/);
    if (!emailLc || rest.length > 0) {
      throw new Error(
        "SQL fragment matching_lead needs three names: {{matching_lead company phone email_lc}}",
      );
    }
    return matchingLead(company!, phone!, emailLc).join(`\n${indent}`);
  },

  /** FILLABLE_FIELDS as a text[]. */
  fillable_fields: () => textArray(FILLABLE_FIELDS),

  /** PROPOSABLE_FIELDS as a text[]. */
  proposable_fields: () => textArray(PROPOSABLE_FIELDS),

  /**
   * What a write changed, for the lead's history: {field: [before, after]} for each of
   * HISTORY_FIELDS that differs between two jsonb rows of leads, `{{lead_changes before after}}`
   * (before is '{}' for a new lead).
   */
  /**
   * Each written lead's entry in its history: for each row of the argument (a relation with the
   * columns described above), who wrote (the write's actor), the submission it kept, whether
   * it created the lead, each changed field's value before and after, and what it proposed. An
   * INSERT, usable as a statement after a WITH or inside one.
   */
  record_history: (rows, _column, indent) =>
    [
      "INSERT INTO lead_history (",
      "  company_id, lead_id, at, kind, actor_user_id, actor_key_id, actor_name, submission_id, data",
      ")",
      "SELECT w.company_id, w.lead_id, w.at, coalesce(w.write->'actor'->>'kind', 'api'),",
      "  (w.write->'actor'->>'user')::uuid, (w.write->'actor'->>'key')::uuid, w.write->'actor'->>'name',",
      "  (w.write->'submission'->>'id')::uuid,",
      `  jsonb_build_object('created', w.created, 'changes', ${leadChanges("w.before", "w.after", "w.given")})`,
      "    || CASE WHEN coalesce(w.proposed, '{}') = '{}' THEN '{}'",
      "       ELSE jsonb_build_object('proposed', w.proposed) END",
      `FROM ${required("record_history", rows)} AS w`,
    ].join(`\n${indent}`),

  /**
   * The submission a write carries (its `write`'s submission), kept with what became of it: for
   * each row of the argument (a relation with the columns described above) whose write has one.
   * A spam or held submission staff take in (lib/forms/review.ts) is the same record, not a new one.
   */
  keep_submissions: (rows, _column, indent) =>
    [
      "INSERT INTO submissions",
      "SELECT (jsonb_populate_record(NULL::submissions, w.write->'submission' || jsonb_build_object(",
      "  'company_id', w.company_id, 'status', w.status, 'lead_id', w.lead_id",
      "))).*",
      `FROM ${required("keep_submissions", rows)} AS w`,
      "WHERE w.write ? 'submission'",
      "ON CONFLICT (id) DO UPDATE SET status = excluded.status, lead_id = excluded.lead_id,",
      "  reviewed_at = excluded.reviewed_at, reviewed_by = excluded.reviewed_by",
    ].join(`\n${indent}`),

  /**
   * Each written lead's alert, queued in the outbox for lib/alerts to tell staff (and answer the
   * visitor): for each row of the argument (a relation as record_history reads it) that kept a
   * submission, or that created a lead through an API key. One per submission (or new lead) ever,
   * whatever retries or restores write it again; an alert waits for the lead's earlier ones. An
   * INSERT for a WITH clause, returning each item's lead_id as text.
   */
  queue_alerts: (rows, _column, indent) =>
    [
      "INSERT INTO outbox (company_id, kind, sequence, event, payload, lead_id, submission_id, dedupe_key)",
      "SELECT w.company_id, 'alert', 'alert:' || w.lead_id::text,",
      "  CASE WHEN w.created THEN 'lead.created' ELSE 'submission' END, '{}'::jsonb, w.lead_id::text,",
      "  (w.write->'submission'->>'id')::uuid,",
      "  'alert:' || coalesce(w.write->'submission'->>'id', w.lead_id::text)",
      `FROM ${required("queue_alerts", rows)} AS w`,
      "WHERE w.write ? 'submission' OR (w.created AND w.write->'actor' ? 'key')",
      "ON CONFLICT (dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING",
      "RETURNING lead_id",
    ].join(`\n${indent}`),

  /**
   * What a write's event says beside the lead: its submission's answers to the form's own
   * questions (lib/webhooks/event.ts), `{{submission_answers write}}` for a write's jsonb; '{}'
   * when it has none.
   */
  submission_answers: (write) => {
    const answers = `${required("submission_answers", write)}->'submission'->'answers'`;
    return `CASE WHEN jsonb_typeof(${answers}) = 'array' THEN jsonb_build_object('answers', ${answers}) ELSE '{}' END`;
  },

  /** tags_lc, which the tag filters' index reads: the argument's tags lower-cased. */
  lowercase_tags: (tags) =>
    `(SELECT coalesce(array_agg(lower(x)), '{}') FROM unnest(${required("lowercase_tags", tags)}) AS x)`,

  /**
   * The webhook events of written leads, queued in the outbox: for each row of the argument (a
   * relation with the columns company_id, lead_id as text, event and payload), one item per active
   * endpoint of its company, in the sequence of that endpoint and lead (delivered in order). An
   * INSERT for a WITH clause, returning each item's lead_id. The upsert functions queue their
   * writes' events with it, and lib/outbox/queue.ts those of the leads Rotor answers with.
   */
  queue_lead_events: (events, _column, indent) =>
    [
      "INSERT INTO outbox (company_id, kind, sequence, endpoint_id, event, payload, lead_id)",
      "SELECT ev.company_id, 'webhook', e.id::text || ':' || ev.lead_id, e.id, ev.event, ev.payload,",
      "  ev.lead_id",
      `FROM ${required("queue_lead_events", events)} AS ev`,
      // A chat app's channel hears of new leads, not of every edit.
      "JOIN webhook_endpoints AS e ON e.company_id = ev.company_id AND e.active",
      "  AND (e.format = 'json' OR ev.event = 'lead.created')",
      "RETURNING lead_id",
    ].join(`\n${indent}`),
};

const PLACEHOLDER = /\{\{(\w+)([^]*?)\}\}/g;

/** The text with every fragment written out; `{{` and `}}` are kept for fragments alone. */
export function expandFragments(text: string): string {
  const expanded = text.replace(PLACEHOLDER, (_match, name: string, argument: string, offset: number) => {
    const fragment = FRAGMENTS[name];
    if (!fragment) throw new Error(`Unknown SQL fragment {{${name}}}`);
    const lineStart = text.lastIndexOf("\n", offset) + 1;
    const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
    return fragment(argument.trim(), offset - lineStart, indent);
  });
  const stray = /\{\{|\}\}/.exec(expanded);
  if (stray) throw new Error(`A "${stray[0]}" that opens or closes no SQL fragment`);
  return expanded;
}
