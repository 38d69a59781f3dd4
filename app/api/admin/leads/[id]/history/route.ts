import { z } from "zod";
import { withSession } from "@/lib/api/with-session";
import { jsonResponse } from "@/lib/api/respond";
import { queryObject } from "@/lib/http/body";
import { leadTimeline } from "@/lib/leads/history";
import { parseOrThrow } from "@/lib/validation";

// Vercel gives routes of one configuration one function: this (the default limit, stated) puts
// the admin's API in a function of its own, beside the public one (README, "Deploy on Vercel").
export const maxDuration = 300;

const pageSchema = z.object({ before: z.coerce.number().int().positive().optional() });

/** A page of the lead's history, newest first; `next` is the `before` of the following page. */
export const GET = withSession<{ id: string }>({}, async ({ req, user, params }) => {
  const { before } = parseOrThrow(pageSchema, queryObject(new URL(req.url).searchParams, ["before"]));
  const { entries, next } = await leadTimeline(user, params.id, { before });
  return jsonResponse({ data: entries, next, status: "success" });
});
