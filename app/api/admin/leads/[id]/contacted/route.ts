import { withSession } from "@/lib/api/with-session";
import { jsonResponse } from "@/lib/api/respond";
import { markContacted } from "@/lib/leads/response";

// Vercel gives routes of one configuration one function: this (the default limit, stated) puts
// the admin's API in a function of its own, beside the public one (README, "Deploy on Vercel").
export const maxDuration = 300;

/** "Mark contacted": the user answered the lead; the first time is its response time. */
export const POST = withSession<{ id: string }>({}, async ({ user, params }) => {
  const { firstResponseAt } = await markContacted(user, params.id);
  return jsonResponse({
    data: { first_response_at: firstResponseAt.toISOString() },
    message: "Marked contacted",
    status: "success",
  });
});
