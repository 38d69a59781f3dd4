import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { type Command, UsageError } from "../command";
import { DEFAULT_COMPANY_SLUG } from "@/lib/db/client";
import { ensureCompany } from "@/lib/db/companies";
import { parseOrigin } from "@/lib/forms/edit-schema";
import { CONTACT_FORM, formSettingsSchema, thankYouUrl } from "@/lib/forms/schema";
import {
  createForm,
  type Form,
  type FormChanges,
  findForm,
  listForms,
  updateForm,
} from "@/lib/forms/repository";

const USAGE = `Usage:
  npm run form -- list
  npm run form -- show SLUG
  npm run form -- create SLUG --title TITLE [--company SLUG] [options]
  npm run form -- set SLUG [options]

Options (create and set):
  --title TEXT            heading of the form
  --intro TEXT            text under the heading
  --settings FILE         JSON: {"fields":[{"name","label","required","choices"}], "oneOf", "consent"}
                          (create copies the contact form's when omitted)
  --origins A,B           sites allowed to embed the form and post to it, as origins
                          (https://www.example.com); an empty value allows only the portal
  --source TEXT           source of new leads        --stage TEXT   stage of new leads
  --tags A,B              tags added to every lead
  --thanks TEXT           thank-you message          --redirect URL thank-you page of your own

With the embedded database (no DATABASE_URL), stop the app first: PGlite allows one process at a time.`;

const list = (value: string) =>
  value
    .split(",")
    .map((v) => v.trim())
    .filter(Boolean);

function origins(value: string): string[] {
  return list(value).map((text) => {
    const origin = parseOrigin(text);
    if (origin === null) {
      throw new UsageError(`--origins: ${text} must be an origin such as https://www.example.com`);
    }
    return origin;
  });
}

function changesFrom(values: Record<string, string | undefined>): FormChanges {
  const changes: FormChanges = {};
  if (values.title !== undefined) changes.title = values.title;
  if (values.intro !== undefined) changes.intro = values.intro || null;
  if (values.settings !== undefined) {
    const parsed = formSettingsSchema.safeParse(JSON.parse(readFileSync(values.settings, "utf8")));
    if (!parsed.success) throw new UsageError(`--settings: ${parsed.error.issues[0]?.message}`);
    changes.settings = parsed.data;
  }
  if (values.origins !== undefined) changes.allowedOrigins = origins(values.origins);
  if (values.source !== undefined) changes.defaultSource = values.source || null;
  if (values.stage !== undefined) changes.defaultStage = values.stage || null;
  if (values.tags !== undefined) changes.defaultTags = list(values.tags);
  if (values.thanks !== undefined) changes.thankYouMessage = values.thanks || null;
  if (values.redirect !== undefined) {
    const url = values.redirect ? thankYouUrl(values.redirect) : null;
    if (values.redirect && url === null) {
      throw new UsageError("--redirect must be an absolute http(s) URL, without line breaks");
    }
    changes.redirectUrl = url;
  }
  return changes;
}

function describe(form: Form): string {
  return JSON.stringify(
    {
      slug: form.slug,
      title: form.title,
      intro: form.intro,
      settings: form.settings,
      allowedOrigins: form.allowedOrigins,
      defaultSource: form.defaultSource,
      defaultStage: form.defaultStage,
      defaultTags: form.defaultTags,
      thankYouMessage: form.thankYouMessage,
      redirectUrl: form.redirectUrl,
      spamCount: form.spamCount,
    },
    null,
    2,
  );
}

async function main(args: string[]) {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: Object.fromEntries(
      [
        "title",
        "intro",
        "settings",
        "origins",
        "source",
        "stage",
        "tags",
        "thanks",
        "redirect",
        "company",
      ].map((name) => [name, { type: "string" as const }]),
    ),
  });
  const [command, slug] = positionals;
  const strings = values as Record<string, string | undefined>;
  if (command === "list") {
    for (const form of await listForms()) {
      console.log(
        [form.slug, form.title, `origins: ${form.allowedOrigins.join(" ") || "(portal only)"}`].join("  "),
      );
    }
    return;
  }
  if (!slug) throw new UsageError(command ? `${command} needs a form's slug` : "A command is required");
  if (command === "show") {
    const form = await findForm(slug);
    if (!form) throw new UsageError(`No form ${slug}`);
    console.log(describe(form));
  } else if (command === "create") {
    if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(slug)) throw new UsageError("A slug is a-z, 0-9 and -");
    if (await findForm(slug)) throw new UsageError(`A form ${slug} exists already`);
    const changes = changesFrom(strings);
    if (!changes.title) throw new UsageError("--title is required");
    const company = await ensureCompany(strings.company?.trim() || DEFAULT_COMPANY_SLUG);
    const form = await createForm(company.id, {
      ...CONTACT_FORM,
      intro: null,
      ...changes,
      title: changes.title,
      slug,
    });
    console.log(describe(form));
  } else if (command === "set") {
    const form = await updateForm(slug, changesFrom(strings));
    if (!form) throw new UsageError(`No form ${slug}`);
    console.log(describe(form));
  } else throw new UsageError(`Unknown command ${command}`);
}

export const formCommand: Command = { usage: USAGE, run: main };
