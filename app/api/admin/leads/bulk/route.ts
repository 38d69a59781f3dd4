import { withSession } from "@/lib/api/with-session";
import { readJsonObject } from "@/lib/http/body";
import { jsonResponse } from "@/lib/api/respond";
import { fail } from "@/lib/errors";
import { bulkSchema } from "@/lib/leads/admin";
import { MERGE_ACTIONS, mergeActionSchema, runMergeAction } from "@/lib/leads/merge";
import { leadStore } from "@/lib/leads/store";
import { checkBulk } from "@/lib/leads/staff-rules";
import { parseOrThrow } from "@/lib/validation";

// Vercel gives routes of one configuration one function: this (the default limit, stated) puts
// the admin's API in a function of its own, beside the public one (README, "Deploy on Vercel").
export const maxDuration = 300;

/**
 * One action on the selected leads (archive, unarchive, add_tag, set_stage), or on two: merge,
 * undo_merge and not_duplicates (lib/leads/merge.ts). Merges are answered here rather than by a
 * route of their own: every route handler adds a copy of the app's code to the one Vercel function.
 */
export const POST = withSession({}, async ({ req, user }) => {
  const body = await readJsonObject(req);
  const store = await leadStore(user.companyId);
  if (typeof body.action === "string" && MERGE_ACTIONS.includes(body.action)) {
    if (!store.capabilities.merge) throw fail.notUpstream("Merging leads");
    return jsonResponse(await runMergeAction(user, parseOrThrow(mergeActionSchema, body)));
  }
  const input = parseOrThrow(bulkSchema, body);
  await checkBulk(user.companyId, input);
  const { updated } = await store.bulk(user, input);
  return jsonResponse({ updated, status: "success" });
});
