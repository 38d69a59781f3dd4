import { withSession } from "@/lib/api/with-session";
import { readJsonAs } from "@/lib/http/body";
import { jsonResponse } from "@/lib/api/respond";
import { bulkSchema } from "@/lib/leads/admin";
import { leadStore } from "@/lib/leads/store";
import { checkBulk } from "@/lib/leads/staff-rules";

export const POST = withSession({}, async ({ req, user }) => {
  const input = await readJsonAs(req, bulkSchema);
  await checkBulk(user.companyId, input);
  const { updated } = await (await leadStore(user.companyId)).bulk(user, input);
  return jsonResponse({ updated, status: "success" });
});
