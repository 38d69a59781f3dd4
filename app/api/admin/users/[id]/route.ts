import { withSession } from "@/lib/api/admin-handler";
import { errors } from "@/lib/api/errors";
import { jsonResponse } from "@/lib/api/respond";
import { parseOrThrow, readJsonObject } from "@/lib/api/body";
import { deleteUser, updateUser, userUpdateSchema } from "@/lib/auth/users";

export const DELETE = withSession<{ id: string }>({ adminOnly: true }, async ({ user, params }) => {
  const outcome = await deleteUser(user.companyId, params.id);
  if (outcome === "missing") throw errors.notFound();
  if (outcome === "last-admin") throw errors.conflict("The last admin cannot be removed");
  return jsonResponse({ status: "success", message: "User removed" });
});

/** Changes another user's role, or sets a new password for them (which ends their sessions). */
export const PATCH = withSession<{ id: string }>({ adminOnly: true }, async ({ req, user, params }) => {
  const outcome = await updateUser(
    user.companyId,
    params.id,
    parseOrThrow(userUpdateSchema, await readJsonObject(req)),
  );
  if (outcome === "missing") throw errors.notFound();
  if (outcome === "last-admin") throw errors.conflict("The last admin cannot become a member");
  return jsonResponse({ status: "success", message: "User updated" });
});
