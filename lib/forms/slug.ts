/**
 * A form's address and the one a title suggests: a module without dependencies, for the admin's
 * New form control in the browser as for the server's checks (lib/forms/new-form.ts).
 */

/** A form's address, /f/{slug}: lower-case letters and digits, words joined by single dashes. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const SLUG_MAX = 60;
export const SLUG_MESSAGE = "Use lower-case letters, digits and dashes only, such as spring-quote";

/** The slug a title suggests: "Get a Quote!" becomes get-a-quote (accents dropped). */
export function suggestSlug(title: string): string {
  return title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .slice(0, SLUG_MAX)
    .replace(/^-+|-+$/g, "");
}
