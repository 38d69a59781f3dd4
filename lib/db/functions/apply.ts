import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { expandFragments } from "./fragments";

/**
 * The SQL functions' current text lives in this folder, one file per function named after it, and
 * is applied after the migrations (as Flyway's repeatable migrations or Supabase's declarative
 * schemas are): on every start of the embedded database and by `npm run db:migrate`. A function is
 * changed by editing its file; only a change of its arguments or result also needs a migration, one
 * that drops the old function, as CREATE OR REPLACE cannot.
 */
const folder = path.join(process.cwd(), "lib/db/functions");

// Any database of the app's, whatever its driver.
type Database = PgDatabase<PgQueryResultHKT, Record<string, unknown>>;

export interface FunctionSource {
  name: string;
  /** The file's path from the project's root, as the function's comment in the database names it. */
  file: string;
  /** The file with its fragments written out: the statement that creates the function. */
  statement: string;
}

/** Every function's source, in file name order (the order they are applied in). */
export async function functionSources(): Promise<FunctionSource[]> {
  const files = (await readdir(folder)).filter((file) => file.endsWith(".sql")).sort();
  return Promise.all(
    files.map(async (file) => {
      const name = path.basename(file, ".sql");
      const relative = path.relative(process.cwd(), path.join(folder, file));
      const statement = expandFragments(await readFile(path.join(folder, file), "utf8"));
      // The file's name is how the apply finds the function in the database again.
      if (!new RegExp(`^CREATE OR REPLACE FUNCTION ${name}\\(`, "m").test(statement)) {
        throw new Error(`${relative} must create the function ${name}: CREATE OR REPLACE FUNCTION ${name}(`);
      }
      return { name, file: relative, statement };
    }),
  );
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/**
 * What the apply writes into the function's comment: its source, and the definition it left. A
 * migration that replaces the function later keeps the comment but changes the definition, so
 * both must still match for the function to be left as it is.
 */
const stamp = (source: FunctionSource, definition: string) =>
  `Source: ${source.file} (sha256 ${sha256(source.statement)}); applied as definition sha256 ${sha256(definition)}`;

/** One key for every process that changes the schema (lead_upsert's keys hash other texts). */
export const SCHEMA_LOCK = sql`hashtextextended('lead portal: schema changes', 0)`;

/**
 * The database's own message (the driver's wrapper repeats the whole statement), with the line it
 * points at: the line of the expanded text, which matches the file's up to the first fragment.
 */
function reason(source: FunctionSource, error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  if (!(cause instanceof Error)) return String(cause);
  const position = Number((cause as { position?: string }).position);
  if (!position) return cause.message;
  const before = source.statement.slice(0, position - 1).split("\n");
  const line = source.statement.split("\n")[before.length - 1]!.trim();
  return `${cause.message}, at line ${before.length} once its fragments are written out: ${line}`;
}

interface Current {
  name: string;
  definition: string;
  comment: string | null;
}

async function current(db: Database, names: string[]): Promise<Current[]> {
  const result = (await db.execute(sql`
    select p.proname as name, pg_get_functiondef(p.oid) as definition,
      obj_description(p.oid, 'pg_proc') as comment
    from pg_proc p
    where p.pronamespace = (select n.oid from pg_namespace n where n.nspname = current_schema())
      and p.proname in (${sql.join(
        names.map((name) => sql`${name}`),
        sql`, `,
      )})
  `)) as unknown as { rows: Current[] };
  return result.rows;
}

/**
 * Creates or replaces each function whose definition differs from its source, in one transaction
 * under an advisory lock, so that two processes applying at once wait for each other instead of
 * failing; the second then finds everything current. Leaving current functions alone keeps a start
 * to one read of the catalogue.
 */
export async function applyFunctions(db: Database): Promise<void> {
  const sources = await functionSources();
  const names = sources.map((source) => source.name);
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${SCHEMA_LOCK})`);
    const before = await current(tx, names);
    for (const source of sources) {
      const found = before.filter((f) => f.name === source.name);
      if (found.length === 1 && found[0]!.comment === stamp(source, found[0]!.definition)) continue;
      try {
        await tx.execute(sql.raw(source.statement));
      } catch (error) {
        throw new Error(`${source.file}: ${reason(source, error)}`, { cause: error });
      }
      const after = await current(tx, [source.name]);
      if (after.length !== 1) {
        throw new Error(
          `${source.file}: the database has ${after.length} functions named ${source.name}; a change of ` +
            "its arguments needs a migration that drops the old one",
        );
      }
      await tx.execute(
        sql.raw(`COMMENT ON FUNCTION ${source.name} IS '${stamp(source, after[0]!.definition)}'`),
      );
    }
  });
}
