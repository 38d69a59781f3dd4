import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { sql, TransactionRollbackError } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { type Db, getDb } from "@/lib/db/client";
import { applyFunctions, type FunctionSource, functionSources } from "@/lib/db/functions/apply";
import { LEAD_FIELDS } from "@/lib/db/functions/fragments";

// With DATABASE_URL the database was migrated by npm run db:migrate's own code (the suite's global
// setup); without it, by the embedded database's start. Either way the functions came from the files.

type Executor = Pick<Db, "execute">;

/** pg_get_functiondef of every function of that name in the schema the app uses. */
async function definitions(db: Executor, name: string): Promise<string[]> {
  const { rows } = (await db.execute(sql`
    select pg_get_functiondef(p.oid) as definition
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where n.nspname = current_schema() and p.proname = ${name}
  `)) as unknown as { rows: { definition: string }[] };
  return rows.map((row) => row.definition);
}

/** The source's definition as this database prints it: created in a transaction, then rolled back. */
async function definitionOf(db: Db, source: FunctionSource): Promise<string[]> {
  let printed: string[] = [];
  try {
    await db.transaction(async (tx) => {
      await tx.execute(sql.raw(source.statement));
      printed = await definitions(tx, source.name);
      tx.rollback();
    });
  } catch (error) {
    if (!(error instanceof TransactionRollbackError)) throw error;
  }
  return printed;
}

/** The text between the dollar quotes: the body, which the database keeps exactly as given. */
const body = (definition: string) => /\$(\w*)\$\n?([^]*)\$\1\$/.exec(definition)![2];

async function expectCurrent(db: Db) {
  for (const source of await functionSources()) {
    const running = await definitions(db, source.name);
    expect(running, `${source.name}: one definition`).toHaveLength(1);
    expect(body(running[0]!), source.file).toBe(body(source.statement));
    expect(running, source.file).toEqual(await definitionOf(db, source));
  }
}

async function versions(db: Db): Promise<Record<string, string>> {
  const { rows } = (await db.execute(sql`
    select proname as name, xmin::text as version from pg_proc
    where proname in ('lead_upsert', 'lead_upsert_many')
  `)) as unknown as { rows: { name: string; version: string }[] };
  return Object.fromEntries(rows.map((row) => [row.name, row.version]));
}

describe("SQL functions: one current source file each, applied after the migrations", () => {
  it("the database runs each function exactly as its file, fragments written out, defines it", async () => {
    const sources = await functionSources();
    expect(sources.map((source) => source.file)).toEqual([
      "lib/db/functions/lead_upsert.sql",
      "lib/db/functions/lead_upsert_many.sql",
    ]);
    await expectCurrent(await getDb());
  });

  it("leaves current functions alone, and applies again one that a migration replaced since", async () => {
    const db = await getDb();
    const before = await versions(db);
    await applyFunctions(db);
    expect(await versions(db)).toEqual(before);

    // As a migration written the old way would: the same function with another text. Its comment,
    // which records what the last apply left, stays as it was.
    const many = (await functionSources()).find((source) => source.name === "lead_upsert_many")!;
    await db.execute(sql.raw(many.statement.replace("\nBEGIN\n", "\nBEGIN\n  -- replaced\n")));
    expect(body((await definitions(db, "lead_upsert_many"))[0]!)).toContain("-- replaced");

    await applyFunctions(db);
    await expectCurrent(db);
    expect((await versions(db)).lead_upsert).toBe(before.lead_upsert);
  });

  it("refuses to leave two functions of one name: a change of arguments needs a migration that drops the old one", async () => {
    const db = await getDb();
    await db.execute(sql`
      create function lead_upsert_many(p_items jsonb, p_extra integer)
      returns table (ord integer, result jsonb) language sql as 'select 1, null::jsonb'
    `);
    try {
      await expect(applyFunctions(db)).rejects.toThrow(
        "lib/db/functions/lead_upsert_many.sql: the database has 2 functions named lead_upsert_many; " +
          "a change of its arguments needs a migration that drops the old one",
      );
    } finally {
      await db.execute(sql`drop function lead_upsert_many(jsonb, integer)`);
    }
    await expectCurrent(db);
  });

  it("only the migrations that landed before the files define those functions", async () => {
    const names = (await functionSources()).map((source) => source.name);
    const folder = path.join(process.cwd(), "lib/db/migrations");
    const defining: string[] = [];
    for (const file of (await readdir(folder)).filter((f) => f.endsWith(".sql")).sort()) {
      const text = await readFile(path.join(folder, file), "utf8");
      for (const [, name] of text.matchAll(/CREATE (?:OR REPLACE )?FUNCTION (\w+)\(/gi)) {
        if (names.includes(name!)) defining.push(file);
      }
    }
    // A later migration's text would be replaced by the file's at the next apply: a change goes
    // into the file instead.
    expect(defining).toEqual([
      "0002_lead_upsert.sql",
      "0005_lead_upsert_admin.sql",
      "0008_outbox_webhooks.sql",
      "0009_lead_upsert_batches.sql",
      "0010_lead_upsert_batches_together.sql",
    ]);
  });

  it("every column of leads is a field the upsert copies, one it sets itself, or one it leaves alone", async () => {
    const { rows } = (await (
      await getDb()
    ).execute(sql`
      select column_name as name from information_schema.columns
      where table_schema = current_schema() and table_name = 'leads'
    `)) as unknown as { rows: { name: string }[] };
    const setByTheFunctions = [
      "id",
      "company_id",
      "created_by",
      "archived",
      "archived_at",
      "tags",
      "tags_lc",
    ];
    const times = ["created_at", "updated_at"];
    // The first response is staff's (lib/leads/response.ts; lead_upsert sets it on a stage change).
    // stage_changed_at is the stage trigger's (migration 0019).
    const leftAlone = [
      "search_text",
      "latitude",
      "longitude",
      "first_response_at",
      "first_response_by",
      "stage_changed_at",
    ];
    expect(rows.map((row) => row.name).sort()).toEqual(
      [...LEAD_FIELDS, ...setByTheFunctions, ...times, ...leftAlone].sort(),
    );
  });
});

describe.runIf(process.env.DATABASE_URL)("SQL functions on a shared PostgreSQL", () => {
  it("two processes applying at once both succeed, and leave one current definition each", async () => {
    const db = await getDb();
    // Both find every function out of date, as after a change of the files.
    await db.execute(sql`comment on function lead_upsert is null`);
    await db.execute(sql`comment on function lead_upsert_many is null`);
    const clients = [0, 1].map(() => new pg.Client({ connectionString: process.env.DATABASE_URL }));
    try {
      await Promise.all(clients.map((client) => client.connect()));
      await Promise.all(clients.map((client) => applyFunctions(drizzle(client))));
    } finally {
      await Promise.all(clients.map((client) => client.end()));
    }
    await expectCurrent(db);
  });
});
