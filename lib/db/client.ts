import path from "node:path";
import { eq, sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { env } from "@/lib/env";
import { DEFAULT_FORM } from "./default-form";
import { applyFunctions, SCHEMA_LOCK } from "./functions/apply";
import * as schema from "./schema";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

interface DbHandle {
  db: Db;
  kind: "pglite" | "postgres";
  close(): Promise<void>;
}

/**
 * The GIN indexes' pending lists, which searches must scan entry by entry, are merged by the write
 * that fills one past its limit (256 kB, migration 0011) and by PostgreSQL's autovacuum; PGlite runs
 * no autovacuum, so the embedded database also merges them itself after every so many lead writes
 * (in bulk, which is cheaper than writing each entry into the index).
 */
const WRITES_PER_MERGE = 500;
let writesSinceMerge = 0;

export function noteLeadWrite(): void {
  const pending = holder.__leadPortalDb;
  if (!pending || ++writesSinceMerge < WRITES_PER_MERGE) return;
  writesSinceMerge = 0;
  void pending
    .then(async ({ db, kind }) => {
      if (kind !== "pglite") return;
      await db.execute(
        sql`select gin_clean_pending_list('leads_search_trgm_idx'::regclass), gin_clean_pending_list('leads_tags_idx'::regclass)`,
      );
    })
    // Maintenance only: a failure here leaves the next merge to do the work.
    .catch(() => {});
}

/**
 * PGlite runs no ANALYZE either, so the outbox keeps the statistics of an empty table however long
 * its queue grows, and the planner may read the whole queue for each item a claim looks at
 * (lib/outbox/leases.ts: a quarter of a second per claim behind 700 waiting items, here). Nor
 * VACUUM: every item is written three times or more (queued, taken, released), and the dead
 * versions left in the waiting items' indexes, which every claim walks, made claims slower minute
 * by minute under a steady stream of alerts. The embedded database vacuums and analyses the outbox
 * after every so many claims.
 */
const CLAIMS_PER_ANALYZE = 200;
let claimsSinceAnalyze = 0;

export function noteOutboxClaim(): void {
  const pending = holder.__leadPortalDb;
  if (!pending || ++claimsSinceAnalyze < CLAIMS_PER_ANALYZE) return;
  claimsSinceAnalyze = 0;
  void pending
    .then(async ({ db, kind }) => {
      if (kind === "pglite") await db.execute(sql`vacuum analyze outbox`);
    })
    // Maintenance only: a failure here leaves the statistics as they were until the next one.
    .catch(() => {});
}

const migrationsFolder = path.join(process.cwd(), "lib/db/migrations");
export const DEFAULT_COMPANY_SLUG = "default";

/**
 * The embedded database, loaded only when it is the one in use. A build for Vercel (next.config.mjs)
 * compiles this import out, so that no function there carries PGlite: Vercel's disks are read-only
 * and its instances short-lived, and lib/env.ts refuses to start there without DATABASE_URL.
 */
async function openEmbedded(dataDir: string): Promise<DbHandle> {
  // The import sits in an else: Turbopack drops a branch that a constant condition rules out, but
  // still follows (and traces) an import that merely comes after a throw.
  if (process.env.EMBEDDED_DATABASE === "left-out") {
    throw new Error("This build was made for Vercel and has no embedded database: set DATABASE_URL");
  } else {
    const { openPglite } = await import("./pglite");
    const { db, close } = await openPglite(dataDir, migrationsFolder);
    return { db: db as unknown as Db, kind: "pglite", close };
  }
}

async function openPostgres(url: string, poolSize: number): Promise<DbHandle> {
  const [{ Pool }, { drizzle }] = await Promise.all([import("pg"), import("drizzle-orm/node-postgres")]);
  // A database that does not answer fails a request within seconds (a 503) rather than holding it.
  const pool = new Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 5_000 });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on("error", () => {});
  const db = drizzle(pool, { schema });
  return { db: db as unknown as Db, kind: "postgres", close: () => pool.end() };
}

/** First start: the default company and its contact form (both left alone when they exist). */
async function bootstrap(db: Db, companyName: string): Promise<void> {
  await db
    .insert(schema.companies)
    .values({ slug: DEFAULT_COMPANY_SLUG, name: companyName })
    .onConflictDoNothing({ target: schema.companies.slug });
  const [company] = await db
    .select({ id: schema.companies.id })
    .from(schema.companies)
    .where(eq(schema.companies.slug, DEFAULT_COMPANY_SLUG));
  await db
    .insert(schema.forms)
    .values({ ...DEFAULT_FORM, companyId: company!.id })
    .onConflictDoNothing({ target: schema.forms.slug });
}

async function open(): Promise<DbHandle> {
  const settings = env();
  const handle = settings.DATABASE_URL
    ? await openPostgres(settings.DATABASE_URL, settings.DATABASE_POOL_SIZE)
    : await openEmbedded(settings.DATA_DIR);
  await bootstrap(handle.db, settings.DEFAULT_COMPANY_NAME);
  return handle;
}

// One handle per process, kept on globalThis so that Next.js dev reloads reuse it.
const holder = globalThis as unknown as { __leadPortalDb?: Promise<DbHandle> };

export async function getDb(): Promise<Db> {
  holder.__leadPortalDb ??= open().catch((error: unknown) => {
    holder.__leadPortalDb = undefined;
    throw error;
  });
  return (await holder.__leadPortalDb).db;
}

export async function closeDb(): Promise<void> {
  const pending = holder.__leadPortalDb;
  holder.__leadPortalDb = undefined;
  if (pending) await (await pending).close();
}

/**
 * Applies pending migrations, then the SQL functions, to the PostgreSQL at DATABASE_URL (npm run
 * db:migrate). Two runs at once (instances that each migrate as they start) take turns: the second
 * then finds nothing left to do, where both would otherwise apply the same migrations and one fail.
 */
export async function migratePostgres(url: string): Promise<void> {
  const [{ Client }, { drizzle }, { migrate }] = await Promise.all([
    import("pg"),
    import("drizzle-orm/node-postgres"),
    import("drizzle-orm/node-postgres/migrator"),
  ]);
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const db = drizzle(client);
    // The session's lock, held across the migrations' own transactions; ending the connection
    // releases it whatever happened.
    await db.execute(sql`select pg_advisory_lock(${SCHEMA_LOCK})`);
    await migrate(db, { migrationsFolder });
    await applyFunctions(db);
  } finally {
    await client.end();
  }
}
