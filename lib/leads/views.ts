import { and, asc, count, eq } from "drizzle-orm";
import { z } from "zod";
import type { SessionUser } from "@/lib/auth/users";
import { getDb } from "@/lib/db/client";
import { savedViews } from "@/lib/db/schema";
import { fail } from "@/lib/errors";
import { fieldErrors } from "@/lib/validation";
import { adminListQuerySchema } from "./admin-query";
import { TRIAGE_KEYS, viewQueryString } from "./list-keys";
import type { Stage } from "./pipeline";
import type { LeadCapabilities } from "./store/types";

/**
 * Views of the admin's leads list: a query string under a name. Built-in ones for triage, and
 * each user's own, saved per user (no one else sees or removes them).
 */
export interface View {
  /** A saved view's id; null for a built-in one. */
  id: string | null;
  name: string;
  /** The list's query string (lib/leads/list-keys.ts: viewQueryString). */
  query: string;
}

const view = (name: string, query: Record<string, string>): View => ({
  id: null,
  name,
  query: viewQueryString(new URLSearchParams(query).toString()),
});

/**
 * The built-in views over the pipeline: everything; the first open stage not yet answered; follow-ups
 * due, most overdue first; the user's own; won this month. Without `triage` (Rotor), only everything.
 */
export function builtInViews(stages: Stage[], capabilities: Pick<LeadCapabilities, "triage">): View[] {
  const all = view("All", {});
  if (!capabilities.triage) return [all];
  const first = stages.find((s) => s.kind === "open");
  return [
    all,
    ...(first ? [view("New, not contacted", { stage: first.name, contacted: "no" })] : []),
    view("Due", { due: "1", sort: "follow-up" }),
    view("Mine", { assigned: "me" }),
    view("Won this month", { won: "month" }),
  ];
}

export const MAX_SAVED_VIEWS = 30;

export const viewInputSchema = z.object({
  name: z
    .string({ error: "Give the view a name" })
    .trim()
    .min(1, { error: "Give the view a name" })
    .max(60, { error: "At most 60 characters" }),
  query: z.string({ error: "Must be a list's query string" }).max(2000, { error: "At most 2000 characters" }),
});
export type ViewInput = z.output<typeof viewInputSchema>;

export async function listViews(user: SessionUser): Promise<View[]> {
  const db = await getDb();
  return db
    .select({ id: savedViews.id, name: savedViews.name, query: savedViews.query })
    .from(savedViews)
    .where(eq(savedViews.userId, user.id))
    .orderBy(asc(savedViews.createdAt), asc(savedViews.id));
}

/**
 * The view's query as the list would read it: its keys only, in their order, without page or page
 * size, and valid; a store without triage keeps the filters it has.
 */
function normalisedQuery(query: string, capabilities: Pick<LeadCapabilities, "triage">): string {
  const normal = viewQueryString(query.replace(/^\?/, ""));
  const params = new URLSearchParams(normal);
  const parsed = adminListQuerySchema.safeParse(Object.fromEntries(params));
  if (!parsed.success) {
    const [first] = fieldErrors(parsed.error);
    throw fail.invalid("query", `${first?.field}: ${first?.message}`);
  }
  if (!capabilities.triage && TRIAGE_KEYS.some((key) => params.has(key))) {
    throw fail.invalid("query", "Sorting and these filters are not possible while the leads live in Rotor");
  }
  if (normal === "") throw fail.invalid("query", "Choose a filter or an order first: the whole list is All");
  return normal;
}

/** Saves the user's view; a name they already use (whatever its case) is refused on "name". */
export async function saveView(
  user: SessionUser,
  input: ViewInput,
  capabilities: Pick<LeadCapabilities, "triage">,
): Promise<{ view: View; views: View[] }> {
  const query = normalisedQuery(input.query, capabilities);
  const db = await getDb();
  const [kept] = await db.select({ n: count() }).from(savedViews).where(eq(savedViews.userId, user.id));
  if ((kept?.n ?? 0) >= MAX_SAVED_VIEWS) {
    throw fail.invalid("name", `At most ${MAX_SAVED_VIEWS} saved views: remove one first`);
  }
  // The unique index on (user, lower(name)) decides, so two saves at once cannot both take a name.
  const [saved] = await db
    .insert(savedViews)
    .values({ companyId: user.companyId, userId: user.id, name: input.name, query })
    .onConflictDoNothing()
    .returning({ id: savedViews.id, name: savedViews.name, query: savedViews.query });
  if (!saved) throw fail.invalid("name", `You already have a view named "${input.name}"`);
  return { view: saved, views: await listViews(user) };
}

/** Removes one of the user's views; another user's, or none, is not found. */
export async function removeView(user: SessionUser, id: string | null): Promise<View[]> {
  if (!id) throw fail.invalid("view", "Name the view to remove: ?view=ID");
  if (!z.guid().safeParse(id).success) throw fail.invalid("view", "Must be a saved view's id");
  const db = await getDb();
  const removed = await db
    .delete(savedViews)
    .where(and(eq(savedViews.id, id), eq(savedViews.userId, user.id)))
    .returning({ id: savedViews.id });
  if (removed.length === 0) throw fail.notFound();
  return listViews(user);
}
