import { withSession } from "@/lib/api/with-session";
import { jsonResponse } from "@/lib/api/respond";
import { fail } from "@/lib/errors";
import { restoreSubmission } from "@/lib/forms/review";
import { z } from "zod";

// Vercel gives routes of one configuration one function: this (the default limit, stated) puts
// the admin's API in a function of its own, beside the public one (README, "Deploy on Vercel").
export const maxDuration = 300;

/** "Not spam" (or a held submission let through): it becomes a lead as if it had just arrived. */
export const POST = withSession<{ id: string }>({ adminOnly: true }, async ({ user, params }) => {
  if (!z.guid().safeParse(params.id).success) throw fail.notFound();
  await restoreSubmission(user, params.id);
  return jsonResponse({ message: "The submission is now a lead", status: "success" });
});
