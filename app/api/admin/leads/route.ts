import { withSession } from "@/lib/api/with-session";
import { jsonResponse } from "@/lib/api/respond";
import { readJsonAs } from "@/lib/http/body";
import { leadCreateSchema } from "@/lib/leads/admin";
import { adminLeadList } from "@/lib/leads/admin-list";
import { markRead, markReadSchema } from "@/lib/leads/reads";
import { leadStore } from "@/lib/leads/store";
import { checkNewLead } from "@/lib/leads/staff-rules";
import { removeView, saveView, viewInputSchema } from "@/lib/leads/views";

// Vercel gives routes of one configuration one function: this (the default limit, stated) puts
// the admin's API in a function of its own, beside the public one (README, "Deploy on Vercel").
export const maxDuration = 300;

// Saved views and "mark as read" answer here, not under routes of their own: each route file adds
// a copy of the app's code to the one Vercel function, which is close to its size limit.

/**
 * The admin's list: the API's envelope, cached per company, member and query, with the user's
 * marks (new, changed) added per request; ?refresh=1 skips the cache.
 */
export const GET = withSession({}, async ({ req, user }) => {
  const params = new URL(req.url).searchParams;
  const { list, hit } = await adminLeadList(user, params, { refresh: params.get("refresh") === "1" });
  return jsonResponse(list, 200, { "x-cache": hit ? "HIT" : "MISS" });
});

/** A lead typed in by staff; 201 when new, 200 when it matched (and updated) an existing lead. */
export const POST = withSession({}, async ({ req, user }) => {
  const input = await readJsonAs(req, leadCreateSchema);
  await checkNewLead(user.companyId, input);
  const { created, lead } = await (await leadStore(user.companyId)).create(user, input);
  return jsonResponse(
    {
      data: lead,
      created,
      message: created ? "Lead created" : "This person was already a lead; the details were added to it",
      status: "success",
    },
    created ? 201 : 200,
  );
});

/** Saves the user's view `{name, query}`: 201 with it and the user's views. */
export const PUT = withSession({}, async ({ req, user }) => {
  const input = await readJsonAs(req, viewInputSchema);
  const { capabilities } = await leadStore(user.companyId);
  const { view, views } = await saveView(user, input, capabilities);
  return jsonResponse({ data: view, views, status: "success" }, 201);
});

/** Removes one of the user's views (?view=ID): the views left. */
export const DELETE = withSession({}, async ({ req, user }) => {
  const views = await removeView(user, new URL(req.url).searchParams.get("view"));
  return jsonResponse({ views, status: "success" });
});

/** Marks leads read for the user, `{read: [ids]}`: "Mark all as read" on a page of the list. */
export const PATCH = withSession({}, async ({ req, user }) => {
  const { read } = await readJsonAs(req, markReadSchema);
  await markRead(user.id, read);
  return jsonResponse({ status: "success" });
});
