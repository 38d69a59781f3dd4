import { withSession } from "@/lib/api/admin-handler";
import { errors } from "@/lib/api/errors";
import { jsonResponse } from "@/lib/api/respond";
import { deleteUser } from "@/lib/auth/users";

export const DELETE = withSession<{ id: string }>({ adminOnly: true }, async ({ user, params }) => {
  const outcome = await deleteUser(user.companyId, params.id);
  if (outcome === "missing") throw errors.notFound();
  if (outcome === "last-admin") throw errors.conflict("The last admin cannot be removed");
  return jsonResponse({ status: "success", message: "User removed" });
});
