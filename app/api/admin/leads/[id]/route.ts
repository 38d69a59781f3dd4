import { withSession } from "@/lib/api/with-session";
import { readJsonAs } from "@/lib/http/body";
import { jsonResponse } from "@/lib/api/respond";
import { leadEditSchema } from "@/lib/leads/admin";
import { leadStore } from "@/lib/leads/store";

export const GET = withSession<{ id: string }>({}, async ({ user, params }) => {
  const lead = await (await leadStore(user.companyId)).getForStaff(user, params.id);
  return jsonResponse({ data: lead, status: "success" });
});

export const PATCH = withSession<{ id: string }>({}, async ({ req, user, params }) => {
  const input = await readJsonAs(req, leadEditSchema);
  const lead = await (await leadStore(user.companyId)).update(user, params.id, input);
  return jsonResponse({ data: lead, status: "success" });
});
