import { withSession } from "@/lib/api/admin-handler";
import { readJsonAs } from "@/lib/http/body";
import { jsonResponse } from "@/lib/api/respond";
import { adminLead, leadEditSchema, updateLead } from "@/lib/leads/admin";

export const GET = withSession<{ id: string }>({}, async ({ user, params }) =>
  jsonResponse({ data: await adminLead(user, params.id), status: "success" }),
);

export const PATCH = withSession<{ id: string }>({}, async ({ req, user, params }) => {
  const input = await readJsonAs(req, leadEditSchema);
  return jsonResponse({ data: await updateLead(user, params.id, input), status: "success" });
});
