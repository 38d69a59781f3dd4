import { withSession } from "@/lib/api/with-session";
import { errors } from "@/lib/api/errors";
import { readJsonAs } from "@/lib/http/body";
import { jsonResponse } from "@/lib/api/respond";
import { formChanges, formEditSchema } from "@/lib/forms/edit-schema";
import { updateForm } from "@/lib/forms/repository";

// Vercel gives routes of one configuration one function: this (the default limit, stated) puts
// the admin's API in a function of its own, beside the public one (README, "Deploy on Vercel").
export const maxDuration = 300;

export const PATCH = withSession<{ slug: string }>({ adminOnly: true }, async ({ req, user, params }) => {
  const changes = formChanges(await readJsonAs(req, formEditSchema));
  const form = await updateForm(params.slug, changes, user.companyId);
  if (!form) throw errors.notFound();
  return jsonResponse({ data: form, status: "success" });
});
