import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { SessionUser } from "@/lib/auth/users";
import { getDb } from "@/lib/db/client";
import { type LeadRow, leads } from "@/lib/db/schema";
import { fail } from "@/lib/errors";
import { scopeOf } from "./admin";
import { EVERY_LEAD, listConditions } from "./list";

/** One lead the user may see; another company's, or another member's, is as absent as a missing one. */
export async function visibleLead(user: SessionUser, id: string): Promise<LeadRow> {
  if (!z.guid().safeParse(id).success) throw fail.notFound();
  const db = await getDb();
  const [row] = await db
    .select()
    .from(leads)
    .where(and(eq(leads.id, id), listConditions(scopeOf(user), EVERY_LEAD)))
    .limit(1);
  if (!row) throw fail.notFound();
  return row;
}
