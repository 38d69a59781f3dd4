import { z } from "zod";
import { withSession } from "@/lib/api/with-session";
import { jsonResponse } from "@/lib/api/respond";
import { reviewList } from "@/lib/forms/review";
import { queryObject } from "@/lib/http/body";
import { parseOrThrow } from "@/lib/validation";

// Vercel gives routes of one configuration one function: this (the default limit, stated) puts
// the admin's API in a function of its own, beside the public one (README, "Deploy on Vercel").
export const maxDuration = 300;

const querySchema = z.object({
  status: z.enum(["spam", "held"]).default("spam"),
  form: z.guid().optional(),
  before: z.iso.datetime({ offset: true }).optional(),
});

/** The review: spam and held submissions, newest first, of one form or all (admins). */
export const GET = withSession({ adminOnly: true }, async ({ req, user }) => {
  const query = parseOrThrow(
    querySchema,
    queryObject(new URL(req.url).searchParams, ["status", "form", "before"]),
  );
  const { items, next } = await reviewList(user.companyId, {
    status: query.status,
    formId: query.form,
    before: query.before,
  });
  return jsonResponse({ data: items, next, status: "success" });
});
