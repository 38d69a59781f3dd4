import { and, sql } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { leads } from "@/lib/db/schema";
import { type ListScope, listConditions } from "./list";
import { type Stage, stageOf } from "./pipeline";
import { listQuerySchema } from "./schema";

/** A card of the board: who, what, how much, how old, and whose. */
export interface BoardCard {
  id: string;
  name: string | null;
  serviceType: string | null;
  projectedValue: number | null;
  assignedTo: string | null;
  createdAt: string;
}

export interface BoardColumn {
  stage: Stage;
  /** The newest cards, at most CARDS_PER_COLUMN. */
  cards: BoardCard[];
  /** Every lead in the stage, and their projected value together. */
  count: number;
  value: number;
}

export const CARDS_PER_COLUMN = 100;

/**
 * The board: one column per stage of the pipeline (open ones with their newest cards; won and lost
 * ones with their counts only, folded), for the leads a user sees that match the list's filters
 * (search and tags). A lead without a stage is in the first open stage.
 */
export async function boardColumns(
  scope: ListScope,
  filters: { search?: string; tags?: string },
  stages: Stage[],
): Promise<BoardColumn[]> {
  const db = await getDb();
  const where = listConditions(scope, listQuerySchema.parse(filters));
  const stageKey = sql<string>`lower(coalesce(${leads.stage}, ''))`;
  const [totals, cards] = await Promise.all([
    db
      .select({
        stage: stageKey,
        count: sql<number>`count(*)::integer`,
        value: sql<number>`coalesce(sum(${leads.projectedValue}), 0)::float8`,
      })
      .from(leads)
      .where(where)
      .groupBy(stageKey),
    db.execute(sql`
      select id, name, service_type, projected_value, assigned_to, created_at, stage from (
        select ${leads.id} as id, ${leads.name} as name, ${leads.serviceType} as service_type,
          ${leads.projectedValue} as projected_value, ${leads.assignedTo} as assigned_to,
          ${leads.createdAt} as created_at, ${leads.stage} as stage,
          row_number() over (partition by ${stageKey} order by ${leads.createdAt} desc, ${leads.id}) as n
        from ${leads}
        where ${and(where)}
      ) ranked
      where n <= ${CARDS_PER_COLUMN}
      order by created_at desc, id`),
  ]);
  const columns = new Map(
    stages.map((stage) => [stage.name, { stage, cards: [], count: 0, value: 0 } as BoardColumn]),
  );
  for (const row of totals) {
    const column = columns.get(stageOf(row.stage, stages)?.name ?? "");
    if (!column) continue;
    column.count += Number(row.count);
    column.value += Number(row.value);
  }
  const rows = (cards as unknown as { rows: Record<string, unknown>[] }).rows;
  for (const row of rows) {
    const column = columns.get(stageOf(row.stage as string | null, stages)?.name ?? "");
    if (!column || column.stage.kind !== "open" || column.cards.length >= CARDS_PER_COLUMN) continue;
    column.cards.push({
      id: String(row.id),
      name: (row.name as string | null) ?? null,
      serviceType: (row.service_type as string | null) ?? null,
      projectedValue: row.projected_value === null ? null : Number(row.projected_value),
      assignedTo: (row.assigned_to as string | null) ?? null,
      createdAt: new Date(row.created_at as string).toISOString(),
    });
  }
  return [...columns.values()];
}
