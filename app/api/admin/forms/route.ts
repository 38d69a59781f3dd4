import { withSession } from "@/lib/api/with-session";
import { jsonResponse } from "@/lib/api/respond";
import { readJsonAs } from "@/lib/http/body";
import { createCompanyForm } from "@/lib/forms/manage";
import { newFormSchema } from "@/lib/forms/new-form";
import { listForms } from "@/lib/forms/repository";

// Vercel gives routes of one configuration one function: this (the default limit, stated) puts
// the admin's API in a function of its own, beside the public one (README, "Deploy on Vercel").
export const maxDuration = 300;

export const GET = withSession({ adminOnly: true }, async ({ user }) =>
  jsonResponse({ data: await listForms(user.companyId), status: "success" }),
);

/** A new form with the contact form's fields, or a copy of one of the company's forms (duplicate_of). */
export const POST = withSession({ adminOnly: true }, async ({ req, user }) => {
  const form = await createCompanyForm(user.companyId, await readJsonAs(req, newFormSchema));
  return jsonResponse({ data: form, status: "success" }, 201);
});
