/**
 * Bench helper run in its own process with the backend's settings in the environment:
 *   seed N   empty bench company with N leads and a key without a practical limit; prints the key
 *   time     times the uncached list query (count + page) for many searches; prints JSON figures
 */
import { sql } from "drizzle-orm";
import { createApiKey } from "@/lib/auth/api-keys";
import { closeDb, getDb } from "@/lib/db/client";
import { ensureCompany, findCompany } from "@/lib/db/companies";
import { listLeads } from "@/lib/leads/list";
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
  const { key } = await createApiKey({
    companyId: company.id,
    name: "bench",
    scopes: ["leads:read", "leads:write"],
    dailyLimit: 2_000_000_000,
  });
  console.log(key);
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
  samples.sort((a, b) => a - b);
  const at = (p: number) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))]!;
  console.log(JSON.stringify({ n: samples.length, p50: at(0.5), p95: at(0.95), max: at(1) }));
}

const [command, arg] = process.argv.slice(2);
(command === "seed" ? seed(Number(arg ?? 100_000)) : time())
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => closeDb());
