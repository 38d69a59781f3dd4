import { and, asc, isNotNull } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { leads } from "@/lib/db/schema";
import { cachedLeadRead } from "./cache";
import { EVERY_LEAD, type ListScope, listConditions } from "./list";

/** The stages in use among the leads a user sees, for the stage filter; cached with the lists. */
export async function stagesInUse(scope: ListScope): Promise<string[]> {
  const key = JSON.stringify(["stages", scope.memberId ?? null]);
  const { body } = await cachedLeadRead(scope.companyId, key, {}, async () =>
    JSON.stringify(await load(scope)),
  );
  return JSON.parse(body) as string[];
}

async function load(scope: ListScope): Promise<string[]> {
  const db = await getDb();
  const rows = await db
    .selectDistinct({ stage: leads.stage })
    .from(leads)
    .where(and(listConditions(scope, EVERY_LEAD), isNotNull(leads.stage)))
    .orderBy(asc(leads.stage))
    .limit(100);
  return rows.map((r) => r.stage!);
}
