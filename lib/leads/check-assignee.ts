import { and, eq } from "drizzle-orm";
import type { SessionUser } from "@/lib/auth/users";
import { getDb } from "@/lib/db/client";
import { users } from "@/lib/db/schema";
import { fail } from "@/lib/errors";

/** An assignee given by staff: only an admin assigns, and only to a user of the company. */
export async function checkAssignee(user: SessionUser, assignee: string | null | undefined): Promise<void> {
  if (assignee === undefined) return;
  if (user.role !== "admin") throw fail.adminOnly();
  if (assignee === null) return;
  const db = await getDb();
  const [row] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.id, assignee), eq(users.companyId, user.companyId)));
  if (!row) throw fail.invalid("assigned_to", "No such user in this company");
}
