import { withSession } from "@/lib/api/with-session";
import { jsonResponse } from "@/lib/api/respond";
import { listForms } from "@/lib/forms/repository";

export const GET = withSession({ adminOnly: true }, async ({ user }) =>
  jsonResponse({ data: await listForms(user.companyId), status: "success" }),
);
