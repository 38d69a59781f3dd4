import { withSession } from "@/lib/api/with-session";
import { errors } from "@/lib/api/errors";
import { readJsonAs } from "@/lib/http/body";
import { jsonResponse } from "@/lib/api/respond";
import { formChanges, formEditSchema } from "@/lib/forms/edit-schema";
import { listForms, updateForm } from "@/lib/forms/repository";
import { previewHtml } from "@/lib/forms/pages";

// Vercel gives routes of one configuration one function: this (the default limit, stated) puts
// the admin's API in a function of its own, beside the public one (README, "Deploy on Vercel").
export const maxDuration = 300;

export const PATCH = withSession<{ slug: string }>({ adminOnly: true }, async ({ req, user, params }) => {
  const changes = formChanges(await readJsonAs(req, formEditSchema));
  const form = await updateForm(params.slug, changes, user.companyId);
  if (!form) throw errors.notFound();
  return jsonResponse({ data: form, status: "success" });
});

/**
 * `?preview`: the form's page as it would be with the given changes (the same body as PATCH),
 * nothing saved: `{data: {html}}` for the editor's preview.
 */
export const POST = withSession<{ slug: string }>({ adminOnly: true }, async ({ req, user, params }) => {
  if (!new URL(req.url).searchParams.has("preview")) throw errors.notFound();
  const changes = formChanges(await readJsonAs(req, formEditSchema));
  const form = (await listForms(user.companyId)).find((f) => f.slug === params.slug);
  if (!form) throw errors.notFound();
  return jsonResponse({ data: { html: await previewHtml(form, changes) }, status: "success" });
});
