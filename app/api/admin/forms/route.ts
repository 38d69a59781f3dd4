import { withSession } from "@/lib/api/with-session";
import { jsonResponse } from "@/lib/api/respond";
import { listForms } from "@/lib/forms/repository";

// Vercel gives routes of one configuration one function: this (the default limit, stated) puts
// the admin's API in a function of its own, beside the public one (README, "Deploy on Vercel").
export const maxDuration = 300;

export const GET = withSession({ adminOnly: true }, async ({ user }) =>
  jsonResponse({ data: await listForms(user.companyId), status: "success" }),
);
