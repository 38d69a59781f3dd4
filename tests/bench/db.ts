/**
 * Bench helper run in its own process with the backend's settings in the environment:
 *   seed N   empty bench company with N leads and a key without a practical limit; prints the key
 *   time     times the uncached list query (count + page) for many searches, and the lead page's
 *            history (its first page and the open proposed changes) of a lead with 1,000 entries;
 *            prints JSON figures
 */
import { sql } from "drizzle-orm";
import { createApiKey } from "@/lib/auth/api-keys";
import { closeDb, getDb } from "@/lib/db/client";
import { ensureCompany, findCompany } from "@/lib/db/companies";
import { timelineOf } from "@/lib/leads/history";
import { listLeads } from "@/lib/leads/list";
import { leadProposals } from "@/lib/db/schema";
import { and, eq } from "drizzle-orm";
import { FIRST_NAMES, LAST_NAMES, searchQueries } from "./data";

const COMPANY = "bench";

async function seed(count: number) {
  const db = await getDb();
  const company = await ensureCompany(COMPANY);
  const names = (list: readonly string[]) => sql`string_to_array(${list.join(",")}, ',')`;
  // Names, emails, phones (+1 612 200-0001 upwards), stages, sources and tags spread over a year.
  await db.execute(sql`
    insert into leads (company_id, name, email, email_lc, phone, phone_digits, stage, source, tags, tags_lc,
                       priority, projected_value, created_at, updated_at)
    select ${company.id}::uuid,
           f || ' ' || l,
           lower(f) || '.' || lower(l) || i || '@example.com',
           lower(f) || '.' || lower(l) || i || '@example.com',
           '+1612' || (2000000 + i)::text,
           '1612' || (2000000 + i)::text,
           (array['new','contacted','quoted','won','lost'])[1 + i % 5],
           (array['website','google','referral','facebook'])[1 + i % 4],
           array[(array['roof','gutter','windows','siding','deck'])[1 + i % 5], 'batch' || (i % 20)],
           array[(array['roof','gutter','windows','siding','deck'])[1 + i % 5], 'batch' || (i % 20)],
           (array['low','medium','high'])[1 + i % 3],
           (i % 500) * 50,
           now() - (i || ' minutes')::interval,
           now()
    from generate_series(1, ${count}) as i,
         lateral (select (${names(FIRST_NAMES)})[1 + i % ${FIRST_NAMES.length}] as f,
                         (${names(LAST_NAMES)})[1 + (i * 7919) % ${LAST_NAMES.length}] as l) as n`);
  // Vacuumed and analysed now, so that autovacuum does not start on the new rows mid-measurement,
  // and the load's pages written out now, so that the checkpointer does not spend the first rounds
  // writing them (a role without the right to CHECKPOINT leaves that to the next timed checkpoint).
  await db.execute(sql`vacuum analyze leads`);
  await db.execute(sql`checkpoint`).catch(() => {});
  await seedHistory(company.id);
  const { key } = await createApiKey({
    companyId: company.id,
    name: "bench",
    scopes: ["leads:read", "leads:write"],
    dailyLimit: 2_000_000_000,
  });
  console.log(key);
}

const HISTORY_LEAD = "00000000-0000-4000-8000-00000000b001";

/**
 * One lead with 1,000 history entries: every other one a submission (with its fields), the others
 * API writes with changes; and 20 open proposed changes.
 */
async function seedHistory(companyId: string) {
  const db = await getDb();
  await db.execute(sql`
    insert into leads (id, company_id, name, phone, phone_digits, created_at, updated_at)
    values (${HISTORY_LEAD}, ${companyId}, 'History Lead', '+16129990001', '16129990001', now(), now())`);
  await db.execute(sql`
    with kept as (
      insert into submissions (id, company_id, received_at, fields, status, lead_id, page)
      select gen_random_uuid(), ${companyId}, now() - (i || ' minutes')::interval,
        jsonb_build_object('name', 'History Lead', 'phone', '612 999 0001', 'notes', 'Message ' || i,
          'referral_source', 'Neighbour'),
        'attached', ${HISTORY_LEAD}, 'https://shop.example/contact?utm_source=google'
      from generate_series(1, 500) as i
      returning id, received_at
    )
    insert into lead_history (company_id, lead_id, at, kind, submission_id, data)
    select ${companyId}, ${HISTORY_LEAD}, kept.received_at, 'submission', kept.id,
      '{"created": false, "changes": {}, "proposed": {"name": "History L."}}'
    from kept`);
  await db.execute(sql`
    insert into lead_history (company_id, lead_id, at, kind, data)
    select ${companyId}, ${HISTORY_LEAD}, now() - (i || ' minutes')::interval, 'api',
      jsonb_build_object('created', false, 'changes', jsonb_build_object('notes', jsonb_build_array('n' || i, 'n' || (i + 1))))
    from generate_series(1, 500) as i`);
  await db.execute(sql`
    insert into lead_proposals (company_id, lead_id, field, value, at)
    select ${companyId}, ${HISTORY_LEAD}, 'name', to_jsonb('Name ' || i), now()
    from generate_series(1, 20) as i`);
  await db.execute(sql`vacuum analyze lead_history`);
  await db.execute(sql`vacuum analyze submissions`);
}

/** What the lead page asks of the database for a lead's history: its first page and open proposals. */
async function timeHistory(companyId: string) {
  const db = await getDb();
  const page = () =>
    Promise.all([
      timelineOf(companyId, HISTORY_LEAD),
      db
        .select()
        .from(leadProposals)
        .where(and(eq(leadProposals.leadId, HISTORY_LEAD), eq(leadProposals.status, "open")))
        .orderBy(leadProposals.id),
    ]);
  for (let i = 0; i < 20; i++) await page();
  const samples: number[] = [];
  for (let i = 0; i < 300; i++) {
    const started = performance.now();
    const [{ entries }] = await page();
    if (entries.length !== 50) throw new Error("bench: the history lead has lost its entries");
    samples.push(performance.now() - started);
  }
  return percentiles(samples);
}

function percentiles(samples: number[]) {
  samples.sort((a, b) => a - b);
  const at = (p: number) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))]!;
  return { n: samples.length, p50: at(0.5), p95: at(0.95), max: at(1) };
}

async function time() {
  const company = await findCompany(COMPANY);
  if (!company) throw new Error("seed first");
  const queries = searchQueries(300);
  for (const q of queries.slice(0, 20)) await listLeads({ companyId: company.id }, q);
  const samples: number[] = [];
  for (const q of queries) {
    const started = performance.now();
    await listLeads({ companyId: company.id }, q);
    samples.push(performance.now() - started);
  }
  console.log(JSON.stringify({ ...percentiles(samples), history: await timeHistory(company.id) }));
}

const [command, arg] = process.argv.slice(2);
(command === "seed" ? seed(Number(arg ?? 100_000)) : time())
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => closeDb());
