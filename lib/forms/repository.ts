import { and, eq } from "drizzle-orm";
import { now, nowMs } from "@/lib/clock";
import { getDb } from "@/lib/db/client";
import { type FormRow, forms } from "@/lib/db/schema";
import { type FormSettings, type FormSettingsInput, formSettingsSchema, thankYouUrl } from "./schema";

export interface Form extends Omit<FormRow, "settings"> {
  settings: FormSettings;
}

export function toForm(row: FormRow): Form {
  // An address stored before addresses were checked as they are now falls back to the form's own
  // thank-you page rather than breaking every submission.
  const redirectUrl = row.redirectUrl === null ? null : thankYouUrl(row.redirectUrl);
  return { ...row, redirectUrl, settings: formSettingsSchema.parse(row.settings) };
}

/**
 * Forms are read on every submission and changed rarely, so each process keeps them a few seconds:
 * a change made elsewhere (the form command, another instance) applies within FORM_CACHE_MS, one
 * made in this process at once. Unknown slugs are not kept, so a new form is found at once.
 */
const FORM_CACHE_MS = 5_000;
// On globalThis: Next.js bundles each route apart, each with its own copy of this module, and a
// change made through the admin's route must reach the form page's and the intake's at once.
const holder = globalThis as typeof globalThis & {
  __leadPortalForms?: Map<string, { form: Form; until: number }>;
};
const recentForms = (holder.__leadPortalForms ??= new Map());

export async function findForm(slug: string): Promise<Form | undefined> {
  const kept = recentForms.get(slug);
  if (kept && kept.until > nowMs()) return kept.form;
  const db = await getDb();
  const [row] = await db.select().from(forms).where(eq(forms.slug, slug)).limit(1);
  if (!row) return undefined;
  const form = toForm(row);
  if (recentForms.size >= 1000) recentForms.clear();
  recentForms.set(slug, { form, until: nowMs() + FORM_CACHE_MS });
  return form;
}

/** What staff write of a form: everything but its keys, its company and its dates. */
export type FormContent = Pick<
  Form,
  | "slug"
  | "title"
  | "intro"
  | "settings"
  | "defaultSource"
  | "defaultStage"
  | "defaultTags"
  | "allowedOrigins"
  | "thankYouMessage"
  | "redirectUrl"
  | "autoReply"
>;

/** What staff write of a form, taken from it: what the editor starts from, and what a copy takes. */
export function formContent(form: Form): FormContent {
  return {
    slug: form.slug,
    title: form.title,
    intro: form.intro,
    settings: form.settings,
    defaultSource: form.defaultSource,
    defaultStage: form.defaultStage,
    defaultTags: form.defaultTags,
    allowedOrigins: form.allowedOrigins,
    thankYouMessage: form.thankYouMessage,
    redirectUrl: form.redirectUrl,
    autoReply: form.autoReply,
  };
}

/** A new form: a slug, a title and its fields; the rest has defaults. */
export type NewForm = Pick<FormContent, "slug" | "title"> & { settings: FormSettingsInput } & Partial<
    Omit<FormContent, "slug" | "title" | "settings">
  >;

export async function createForm(companyId: string, form: NewForm): Promise<Form> {
  const db = await getDb();
  const [row] = await db
    .insert(forms)
    .values({ ...form, companyId, settings: formSettingsSchema.parse(form.settings) })
    .returning();
  return toForm(row!);
}

/** Every form, or one company's. */
export async function listForms(companyId?: string): Promise<Form[]> {
  const db = await getDb();
  const rows = await db
    .select()
    .from(forms)
    .where(companyId ? eq(forms.companyId, companyId) : undefined)
    .orderBy(forms.createdAt);
  return rows.map(toForm);
}

/** A change staff make: the form's content, or its archive (null restores it). */
export type FormChanges = Partial<Omit<NewForm, "slug">> & { archivedAt?: Date | null };

/**
 * Changes a form (of the given company only, when one is given); the settings, when given, are
 * validated as a whole.
 */
export async function updateForm(
  slug: string,
  changes: FormChanges,
  companyId?: string,
): Promise<Form | undefined> {
  const db = await getDb();
  const values = changes.settings
    ? { ...changes, settings: formSettingsSchema.parse(changes.settings) }
    : changes;
  const [row] = await db
    .update(forms)
    .set({ ...values, updatedAt: now() })
    .where(and(eq(forms.slug, slug), companyId ? eq(forms.companyId, companyId) : undefined))
    .returning();
  recentForms.delete(slug);
  return row ? toForm(row) : undefined;
}
