import { and, asc, eq, isNull, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import type { SessionUser } from "@/lib/auth/users";
import { now } from "@/lib/clock";
import { getDb } from "@/lib/db/client";
import { leads, STAGE_KINDS, type StageKind, stages } from "@/lib/db/schema";
import { fail, type FieldError } from "@/lib/errors";
import { invalidateLeadLists } from "./cache";
import { staffActor } from "./actor";
import { upsertLead } from "./upsert";

/**
 * A company's pipeline: its stages in order, each open, won or lost. A lead's stage is a stage's
 * name; the database keeps every lead's stage in the pipeline (migration 0018's trigger), so that
 * the API may still send any stage, as Rotor's does.
 */
export interface Stage {
  id: string;
  name: string;
  kind: StageKind;
}

export async function pipeline(companyId: string): Promise<Stage[]> {
  const db = await getDb();
  return db
    .select({ id: stages.id, name: stages.name, kind: stages.kind })
    .from(stages)
    .where(and(eq(stages.companyId, companyId), isNull(stages.retiredAt)))
    .orderBy(asc(stages.position), asc(stages.name));
}

/** The name of the first open stage, where new leads start and leads without a stage count. */
export async function firstOpenStage(companyId: string): Promise<string | null> {
  const kept = firstStages.get(companyId);
  if (kept && kept.until > Date.now()) return kept.name;
  const db = await getDb();
  const [first] = await db
    .select({ name: stages.name })
    .from(stages)
    .where(and(eq(stages.companyId, companyId), eq(stages.kind, "open"), isNull(stages.retiredAt)))
    .orderBy(asc(stages.position), asc(stages.name))
    .limit(1);
  const name = first?.name ?? null;
  firstStages.set(companyId, { name, until: Date.now() + FIRST_STAGE_CACHE_MS });
  return name;
}

/**
 * Every admin list with a stage filter asks which stage is the first open one, and a pipeline
 * changes rarely: each process keeps the answer a few seconds (a change saved in this process
 * applies at once, one saved elsewhere within seconds), so a cached list costs no query for it.
 */
const FIRST_STAGE_CACHE_MS = 5_000;
// On globalThis: Next.js bundles each route apart, and a change saved through one must reach all.
const stageHolder = globalThis as typeof globalThis & {
  __leadPortalFirstStages?: Map<string, { name: string | null; until: number }>;
};
const firstStages = (stageHolder.__leadPortalFirstStages ??= new Map());

/**
 * Leads in an open stage ("open" everywhere: the dashboard, the Due view, the waiting list): any
 * stage the pipeline does not call won or lost.
 */
export const inOpenStage: SQL = sql`not exists (select 1 from ${stages} s where s.company_id = ${leads.companyId} and lower(s.name) = lower(${leads.stage}) and s.kind <> 'open' and s.retired_at is null)`;

/** Leads in a won stage of the pipeline ("Won this month" and the like). */
export const inWonStage: SQL = sql`exists (select 1 from ${stages} s where s.company_id = ${leads.companyId} and lower(s.name) = lower(${leads.stage}) and s.kind = 'won' and s.retired_at is null)`;

/**
 * The pipeline's stage a lead's stage is, whatever its case; a lead without one (the API may make
 * such) is in the first open stage.
 */
export function stageOf(stage: string | null, pipeline: Stage[]): Stage | undefined {
  if (!stage?.trim()) return pipeline.find((s) => s.kind === "open");
  const key = stage.trim().toLowerCase();
  return pipeline.find((s) => s.name.toLowerCase() === key);
}

/**
 * Staff pick stages from the pipeline (a select everywhere); a stage typed past it is refused with
 * a message beside the field, where the API would add it.
 */
export async function checkStage(companyId: string, stage: string | null | undefined, field = "stage") {
  if (stage === undefined || stage === null || stage.trim() === "") return;
  const known = await pipeline(companyId);
  if (!known.some((s) => s.name.toLowerCase() === stage.trim().toLowerCase())) {
    throw fail.invalid(field, `"${stage.trim()}" is not a stage of the pipeline; choose one from the list`);
  }
}

const stageName = z
  .string({ error: "Give the stage a name" })
  .trim()
  .min(1, { error: "Give the stage a name" })
  .max(60, { error: "At most 60 characters" });

/** The Settings page's pipeline: every stage kept, in order, and those retired with where their leads go. */
export const pipelineInput = z.object({
  stages: z
    .array(
      z.object({
        id: z.guid().optional(),
        name: stageName,
        kind: z.enum(STAGE_KINDS, { error: "Open, won or lost" }),
      }),
    )
    .min(1, { error: "Keep at least one stage" })
    .max(30, { error: "At most 30 stages" }),
  retire: z.array(z.object({ id: z.guid(), moveTo: z.string().trim().min(1) })).default([]),
});
export type PipelineInput = z.infer<typeof pipelineInput>;

function problems(current: Stage[], input: PipelineInput): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  input.stages.forEach((stage, i) => {
    const key = stage.name.toLowerCase();
    if (seen.has(key)) errors.push({ field: `stages.${i}.name`, message: "Two stages cannot share a name" });
    seen.add(key);
    if (stage.id && !current.some((c) => c.id === stage.id)) {
      errors.push({ field: `stages.${i}.id`, message: "That stage is no longer in the pipeline" });
    }
  });
  if (!input.stages.some((s) => s.kind === "open")) {
    errors.push({ field: "stages", message: "Keep at least one open stage: new leads start in the first" });
  }
  const kept = new Set(input.stages.flatMap((s) => (s.id ? [s.id] : [])));
  const retired = new Set(input.retire.map((r) => r.id));
  for (const stage of current) {
    if (!kept.has(stage.id) && !retired.has(stage.id)) {
      errors.push({ field: "retire", message: `Say where the leads of "${stage.name}" go` });
    }
  }
  const leaving = new Set(
    current.filter((c) => retired.has(c.id) && !kept.has(c.id)).map((c) => c.name.toLowerCase()),
  );
  input.stages.forEach((stage, i) => {
    if (leaving.has(stage.name.toLowerCase())) {
      errors.push({ field: `stages.${i}.name`, message: "That is the name of a stage being retired" });
    }
  });
  input.retire.forEach((r, i) => {
    if (!input.stages.some((s) => s.name.toLowerCase() === r.moveTo.toLowerCase())) {
      errors.push({ field: `retire.${i}.moveTo`, message: "Move the leads to a stage that stays" });
    }
  });
  return errors;
}

/** The leads of a company in one stage, whatever its case. */
async function leadsIn(companyId: string, stage: string): Promise<string[]> {
  const db = await getDb();
  const rows = await db
    .select({ id: leads.id })
    .from(leads)
    .where(and(eq(leads.companyId, companyId), sql`lower(${leads.stage}) = ${stage.toLowerCase()}`));
  return rows.map((r) => r.id);
}

/** Moves leads to a stage, each through the upsert (history, webhooks). */
async function moveLeads(user: SessionUser, ids: string[], to: string): Promise<number> {
  for (const id of ids) {
    await upsertLead(
      user.companyId,
      { id, fields: { stage: to }, tags: [] },
      {},
      { invalidate: false, actor: staffActor(user) },
    );
  }
  return ids.length;
}

/**
 * Saves an admin's pipeline: the order, names and kinds given; new stages added; a renamed stage's
 * leads take the new name and a retired stage's move where the admin said, each as a staff edit on
 * the lead's history. Returns the pipeline as saved and how many leads moved.
 */
export async function savePipeline(
  user: SessionUser,
  input: PipelineInput,
): Promise<{ stages: Stage[]; moved: number }> {
  const current = await pipeline(user.companyId);
  const errors = problems(current, input);
  if (errors.length > 0) throw fail.validation(errors);
  const db = await getDb();
  let moved = 0;
  // Names first, each stage's own leads along with it; a name may pass from one stage to another,
  // so each is set aside under a name no stage has, then given its own.
  // Each renamed stage's leads are known before any moves, so that two stages may swap names.
  const renamed = await Promise.all(
    input.stages.flatMap((s) => {
      const before = current.find((c) => c.id === s.id);
      return before && before.name !== s.name
        ? [leadsIn(user.companyId, before.name).then((ids) => ({ id: before.id, to: s.name, ids }))]
        : [];
    }),
  );
  for (const r of renamed) {
    await db
      .update(stages)
      .set({ name: `(renaming ${r.id})` })
      .where(eq(stages.id, r.id));
  }
  for (const r of renamed) {
    await db.update(stages).set({ name: r.to }).where(eq(stages.id, r.id));
    moved += await moveLeads(user, r.ids, r.to);
  }
  for (const [position, stage] of input.stages.entries()) {
    if (stage.id) {
      await db
        .update(stages)
        .set({ kind: stage.kind, position: position + 1, retiredAt: null })
        .where(and(eq(stages.id, stage.id), eq(stages.companyId, user.companyId)));
    } else {
      // A name retired before comes back rather than being added twice.
      await db.execute(sql`
        insert into ${stages} (company_id, name, kind, position)
        values (${user.companyId}, ${stage.name}, ${stage.kind}, ${position + 1})
        on conflict (company_id, lower(name)) do update
        set name = excluded.name, kind = excluded.kind, position = excluded.position, retired_at = null`);
    }
  }
  for (const r of input.retire) {
    const stage = current.find((c) => c.id === r.id);
    if (!stage || input.stages.some((s) => s.id === r.id)) continue;
    const target = input.stages.find((s) => s.name.toLowerCase() === r.moveTo.toLowerCase())!;
    moved += await moveLeads(user, await leadsIn(user.companyId, stage.name), target.name);
    await db.update(stages).set({ retiredAt: now() }).where(eq(stages.id, r.id));
  }
  firstStages.delete(user.companyId);
  await invalidateLeadLists(user.companyId);
  return { stages: await pipeline(user.companyId), moved };
}
