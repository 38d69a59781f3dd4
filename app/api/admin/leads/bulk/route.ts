import { withSession } from "@/lib/api/admin-handler";
import { readJsonAs } from "@/lib/http/body";
import { jsonResponse } from "@/lib/api/respond";
import { bulkSchema, bulkUpdate } from "@/lib/leads/admin";

export const POST = withSession({}, async ({ req, user }) =>
  jsonResponse({ ...(await bulkUpdate(user, await readJsonAs(req, bulkSchema))), status: "success" }),
);
