import { withSession } from "@/lib/api/admin-handler";
import { readJsonObject } from "@/lib/http/body";
import { jsonResponse } from "@/lib/api/respond";
import { bulkUpdate } from "@/lib/leads/admin";

export const POST = withSession({}, async ({ req, user }) =>
  jsonResponse({ ...(await bulkUpdate(user, await readJsonObject(req))), status: "success" }),
);
