import { withSession } from "@/lib/api/admin-handler";
import { jsonResponse } from "@/lib/api/respond";
import { listForms } from "@/lib/forms/store";

export const GET = withSession({ adminOnly: true }, async ({ user }) =>
  jsonResponse({ data: await listForms(user.companyId), status: "success" }),
);
