import { randomUUID } from "node:crypto";
import * as intake from "@/app/api/intake/[slug]/route";
import { CONTACT_FORM } from "@/lib/forms/schema";
import { createForm } from "@/lib/forms/repository";
import { newTenant } from "./fixtures";
import { newUser, ORIGIN, sessionCookie } from "./staff";

/** A company with its contact form (phone or email, consent not required), an admin and a session. */
export async function tenantWithForm() {
  const tenant = await newTenant();
  const slug = `f-${randomUUID().slice(0, 10)}`;
  const form = await createForm(tenant.company.id, {
    ...CONTACT_FORM,
    slug,
    settings: { ...CONTACT_FORM.settings, consent: null },
  });
  const admin = await newUser(tenant.company.id, "admin");
  const cookie = await sessionCookie(admin);
  return { ...tenant, form, slug, admin, cookie };
}

/** A submission to the form's intake as JSON (a string is sent as it is), as a script would post it. */
export function submitJson(slug: string, body: unknown, headers: Record<string, string> = {}) {
  return intake.POST(
    new Request(`${ORIGIN}/api/intake/${slug}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
    { params: Promise.resolve({ slug }) },
  );
}
