import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { SessionUser } from "@/lib/auth/users";
import { getDb } from "@/lib/db/client";
import { type LeadRow, users } from "@/lib/db/schema";
import type { ListScope } from "./list";
import { leadInputSchema, leadSchema } from "./schema";
import { toApiLead } from "./serialize";

/**
 * The admin's shapes: whose leads a user sees, the lead as staff see it, and what staff may send.
 * The operations themselves are the lead store's (lib/leads/store), whichever adapter runs.
 */

/** Whose leads a user may see: an admin every lead of the company, a member their own. */
export function scopeOf(user: SessionUser): ListScope {
  return user.role === "admin"
    ? { companyId: user.companyId }
    : { companyId: user.companyId, memberId: user.id };
}

/** The lead as the admin shows it: the API's shape, plus who created it and when it last changed. */
export const adminLeadSchema = leadSchema.extend({
  created_by: z.string().nullable(),
  // Null in upstream mode: Rotor's API does not say when a lead last changed.
  updated_at: z.string().nullable(),
  // When staff first answered it (lib/leads/response.ts); null in upstream mode too.
  first_response_at: z.string().nullable(),
});
export type AdminLead = z.infer<typeof adminLeadSchema>;

export const toAdminLead = (row: LeadRow): AdminLead =>
  adminLeadSchema.parse({
    ...toApiLead(row),
    created_by: row.createdBy,
    updated_at: row.updatedAt.toISOString(),
    first_response_at: row.firstResponseAt?.toISOString() ?? null,
  });

/**
 * What the lead page may change: the API's fields, with the same validation, plus archiving and
 * the assignee. Given tags replace the lead's list (the API merges them).
 */
export const leadEditSchema = leadInputSchema.omit({ id: true }).extend({
  archived: z.boolean({ error: "Must be true or false" }).optional(),
  assigned_to: z.guid({ error: "Must be a user's id" }).nullable().optional(),
});
export type LeadEdit = z.output<typeof leadEditSchema>;

/** A lead typed in by staff: the API's fields (null means nothing here), and for admins the assignee. */
export const leadCreateSchema = leadInputSchema
  .omit({ id: true })
  .extend({ assigned_to: z.guid({ error: "Must be a user's id" }).nullable().optional() });
export type LeadCreate = z.output<typeof leadCreateSchema>;

export const BULK_ACTIONS = ["archive", "unarchive", "add_tag", "set_stage"] as const;

export const bulkSchema = z
  .object({
    ids: z
      .array(z.guid({ error: "Must be a lead id" }), { error: "Must be an array of lead ids" })
      .min(1, { error: "Select at least one lead" })
      .max(1000, { error: "At most 1000 leads at once" }),
    action: z.enum(BULK_ACTIONS, { error: `Must be one of: ${BULK_ACTIONS.join(", ")}` }),
    value: z.string({ error: "Must be a string" }).trim().max(100).optional(),
  })
  .superRefine((v, ctx) => {
    if ((v.action === "add_tag" || v.action === "set_stage") && !v.value) {
      ctx.addIssue({ code: "custom", path: ["value"], message: "Required for this action" });
    }
  });
export type BulkChange = z.output<typeof bulkSchema>;

/** The company's users, for the assignee list. */
export async function assignableUsers(companyId: string): Promise<{ id: string; label: string }[]> {
  const db = await getDb();
  const rows = await db
    .select({ id: users.id, email: users.email, name: users.name })
    .from(users)
    .where(eq(users.companyId, companyId))
    .orderBy(sql`coalesce(${users.name}, ${users.email})`);
  return rows.map((u) => ({ id: u.id, label: u.name ? `${u.name} (${u.email})` : u.email }));
}
