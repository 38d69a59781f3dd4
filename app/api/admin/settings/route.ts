import { withSession } from "@/lib/api/with-session";
import { jsonResponse } from "@/lib/api/respond";
import { companyProfile, notePortalUrl, profileInput, updateProfile } from "@/lib/company/profile";
import { readJsonAs } from "@/lib/http/body";
import { requestOrigin } from "@/lib/http/origin";

/** The company's profile (name, phone, reply-to, logo, colour, time zone, hours). */
export const GET = withSession({ adminOnly: true }, async ({ user }) =>
  jsonResponse({ data: await companyProfile(user.companyId), status: "success" }),
);

export const PATCH = withSession({ adminOnly: true }, async ({ req, user }) => {
  const input = await readJsonAs(req, profileInput, { maxBytes: 400_000 });
  const profile = await updateProfile(user.companyId, input);
  await notePortalUrl(user.companyId, requestOrigin(req));
  return jsonResponse({ data: profile, message: "Settings saved", status: "success" });
});
