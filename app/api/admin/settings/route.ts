import { withSession } from "@/lib/api/with-session";
import { jsonResponse } from "@/lib/api/respond";
import { companyProfile, notePortalUrl, profileInput, updateProfile } from "@/lib/company/profile";
import { readJsonAs } from "@/lib/http/body";
import { requestOrigin } from "@/lib/http/origin";
import { pipelineInput, savePipeline } from "@/lib/leads/pipeline";

// Vercel gives routes of one configuration one function: this (the default limit, stated) puts
// the admin's API in a function of its own, beside the public one (README, "Deploy on Vercel").
export const maxDuration = 300;

/** The company's profile (name, phone, reply-to, logo, colour, time zone, hours), and its pipeline. */
export const GET = withSession({ adminOnly: true }, async ({ user }) =>
  jsonResponse({ data: await companyProfile(user.companyId), status: "success" }),
);

export const PATCH = withSession({ adminOnly: true }, async ({ req, user }) => {
  const input = await readJsonAs(req, profileInput, { maxBytes: 400_000 });
  const profile = await updateProfile(user.companyId, input);
  await notePortalUrl(user.companyId, requestOrigin(req));
  return jsonResponse({ data: profile, message: "Settings saved", status: "success" });
});

/**
 * The pipeline (`{stages, retire}`): admins rename, reorder, add and retire stages, a retired
 * stage's leads moving where they say. Here rather than a route of its own, as every route adds
 * its own copy of the app's code to the one function Vercel deploys them in.
 */
export const PUT = withSession({ adminOnly: true }, async ({ req, user }) => {
  const input = await readJsonAs(req, pipelineInput);
  const { stages, moved } = await savePipeline(user, input);
  return jsonResponse({ data: stages, moved, message: "Pipeline saved", status: "success" });
});
