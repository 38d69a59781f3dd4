import { eq, like, or } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { forms } from "@/lib/db/schema";
import { fail } from "@/lib/errors";
import type { NewFormInput } from "./new-form";
import { SLUG_MAX } from "./slug";
import { createForm, type Form, formContent, listForms, type NewForm } from "./repository";
import { CONTACT_FORM } from "./schema";

/** The first of "{slug}-copy", "{slug}-copy-2"... that no form (of any company) uses yet. */
async function freeCopySlug(slug: string): Promise<string> {
  const base = `${slug.slice(0, SLUG_MAX - "-copy-99".length)}-copy`;
  const db = await getDb();
  const taken = new Set(
    (
      await db
        .select({ slug: forms.slug })
        .from(forms)
        .where(or(eq(forms.slug, base), like(forms.slug, `${base}-%`)))
    ).map((r) => r.slug),
  );
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

/**
 * A form made in the admin: the contact form's fields under a new title and address, or a copy of
 * one of the company's forms. Addresses are public (/f/{slug}), so one taken by any company is
 * refused with a message on the slug.
 */
export async function createCompanyForm(companyId: string, input: NewFormInput): Promise<Form> {
  let content: Omit<NewForm, "slug" | "title">;
  let title: string;
  let slug: string;
  if (input.duplicate_of !== undefined) {
    const original = (await listForms(companyId)).find((f) => f.slug === input.duplicate_of);
    if (!original) throw fail.notFound();
    // Everything but its keys, counters and archive; the title and address are the copy's own.
    content = formContent(original);
    title = input.title ?? `${original.title.slice(0, 193)} (copy)`;
    slug = input.slug ?? (await freeCopySlug(original.slug));
  } else {
    const { intro, settings, defaultSource, defaultStage, defaultTags, thankYouMessage } = CONTACT_FORM;
    content = { intro, settings, defaultSource, defaultStage, defaultTags, thankYouMessage };
    title = input.title!;
    slug = input.slug!;
  }
  const db = await getDb();
  const [existing] = await db.select({ id: forms.id }).from(forms).where(eq(forms.slug, slug)).limit(1);
  if (existing) throw takenSlug(slug);
  try {
    return await createForm(companyId, { ...content, title, slug });
  } catch (error) {
    // Taken by another admin in the meantime: the unique index decides.
    const [raced] = await db.select({ id: forms.id }).from(forms).where(eq(forms.slug, slug)).limit(1);
    if (raced) throw takenSlug(slug);
    throw error;
  }
}

const takenSlug = (slug: string) =>
  fail.invalid("slug", `The address /f/${slug} is already taken: choose another`);
