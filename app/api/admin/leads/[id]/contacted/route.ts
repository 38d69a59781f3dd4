import { withSession } from "@/lib/api/with-session";
import { jsonResponse } from "@/lib/api/respond";
import { markContacted } from "@/lib/leads/response";

/** "Mark contacted": the user answered the lead; the first time is its response time. */
export const POST = withSession<{ id: string }>({}, async ({ user, params }) => {
  const { firstResponseAt } = await markContacted(user, params.id);
  return jsonResponse({
    data: { first_response_at: firstResponseAt.toISOString() },
    message: "Marked contacted",
    status: "success",
  });
});
