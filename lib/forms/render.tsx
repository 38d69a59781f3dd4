import type { ReactNode } from "react";
import type { FieldError } from "@/lib/errors";
import { type Brand, brandColors } from "./brand";
import { env } from "@/lib/env";
import { outsideAreaThanks, PAGE_FIELD, REFERRER_FIELD, type VisitContext } from "./context";
import { HONEYPOT_FIELD, TOKEN_FIELD } from "./guard";
import { PAGE_SCRIPT } from "./page-script";
import { conditionCss, PreferredTime, Questions } from "./questions";
import { PhotoField } from "./photo-field";
import type { FormField } from "./schema";
import type { Form } from "./repository";
import type { SubmittedValues } from "./submit";

// The whole page's style: small enough to inline, so the page is one request and needs no script.
const CSS = `*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,sans-serif;color:#1a1a1a;background:#fff}
main{max-width:560px;margin:0 auto;padding:24px 16px;border-top:4px solid var(--a)}h1{font-size:1.5rem;margin:0 0 8px}
h2{font-size:1.1rem;margin:24px 0 4px}p{margin:0 0 16px}.brand{margin:0 0 16px;font-weight:700}.brand img{display:block;height:48px;width:auto;max-width:100%}
.field{margin:0 0 16px}label,legend{display:block;font-weight:600;margin:0 0 4px;padding:0}.opt{font-weight:400;color:#555}
fieldset{border:0;margin:0;padding:0}fieldset label{font-weight:400}fieldset .field:last-child{margin:0}
input,select,textarea{width:100%;font:inherit;padding:10px;border:1px solid #767676;border-radius:6px}
textarea{min-height:120px}:focus-visible{outline:3px solid var(--f);outline-offset:1px}
[aria-invalid=true]{border-color:#b91c1c}.error{color:#b91c1c;margin:4px 0 0}
.summary{border:2px solid #b91c1c;border-radius:6px;padding:12px;margin:0 0 16px}
.check{display:flex;gap:8px;align-items:flex-start}.check input{width:auto;margin-top:4px}
.hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}
button,.button{display:inline-block;font:inherit;font-weight:600;padding:12px 20px;border:0;border-radius:6px;background:var(--a);color:var(--t);cursor:pointer;text-decoration:none}
.call{margin:16px 0 0}.call a{color:inherit}.hint{color:#555;margin:0 0 4px}
.opts{display:grid}.opts .check{font-weight:400;margin:0;padding:8px 0}.opts .check input{margin-top:5px}
.area{border-left:4px solid var(--a);padding:4px 12px}`;

export const TURNSTILE_ORIGIN = "https://challenges.cloudflare.com";

function Page({
  title,
  description,
  brand,
  children,
  script,
  css = "",
}: {
  title: string;
  description?: string;
  brand?: Brand;
  children: ReactNode;
  script?: string;
  /** Style rules of this page alone (a form's conditional questions). */
  css?: string;
}) {
  const colors = brand?.colors ?? brandColors(null);
  return (
    <html lang="en">
      {/* eslint-disable-next-line @next/next/no-head-element -- a standalone page, not rendered by Next.js */}
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{brand ? `${title} · ${brand.name}` : title}</title>
        {description && <meta name="description" content={description} />}
        <style>{`:root{--a:${colors.accent};--t:${colors.onAccent};--f:${colors.focus}}${CSS}${css}`}</style>
      </head>
      <body>
        <main>
          {brand && <BrandLine brand={brand} />}
          {children}
        </main>
        {script && <script dangerouslySetInnerHTML={{ __html: script }} />}
      </body>
    </html>
  );
}

/** The business's logo (a fixed height, so nothing moves as it loads), or else its name. */
function BrandLine({ brand }: { brand: Brand }) {
  return (
    <div className="brand">
      {brand.logo ? (
        // eslint-disable-next-line @next/next/no-img-element -- a standalone page, not rendered by Next.js
        <img src={brand.logo} alt={brand.name} height={48} />
      ) : (
        brand.name
      )}
    </div>
  );
}

/** "Rather talk? Call (612) 555-0100", when the business gave a phone. */
function CallLine({ brand }: { brand?: Brand }) {
  if (!brand?.phone) return null;
  return (
    <p className="call">
      Rather talk? <a href={brand.phone.href}>{`Call ${brand.phone.text}`}</a>
    </p>
  );
}

const INPUT_TYPES: Partial<Record<FormField["name"], string>> = {
  email: "email",
  phone: "tel",
  follow_up_date: "date",
};

const AUTOCOMPLETE: Partial<Record<FormField["name"], string>> = {
  name: "name",
  email: "email",
  phone: "tel",
  address_street1: "address-line1",
  address_street2: "address-line2",
  address_city: "address-level2",
  address_state: "address-level1",
  address_zip: "postal-code",
  address_country: "country-name",
};

function Field({
  field,
  value,
  error,
  optional = !field.required,
}: {
  field: FormField;
  value: string;
  error?: string;
  /** Marked "(optional)": not for a field of a "one of these" group, whose legend says it. */
  optional?: boolean;
}) {
  const id = `f-${field.name}`;
  const errorId = `${id}-error`;
  const common = {
    id,
    name: field.name,
    "aria-invalid": error ? true : undefined,
    "aria-describedby": error ? errorId : undefined,
    "aria-required": field.required || undefined,
  };
  let control: ReactNode;
  if (field.name === "notes") control = <textarea {...common} defaultValue={value} />;
  else if (field.choices) {
    control = (
      <select {...common} defaultValue={value}>
        <option value="">Choose…</option>
        {field.choices.map((choice) => (
          <option key={choice} value={choice}>
            {choice}
          </option>
        ))}
      </select>
    );
  } else {
    control = (
      <input
        {...common}
        type={INPUT_TYPES[field.name] ?? "text"}
        autoComplete={AUTOCOMPLETE[field.name]}
        defaultValue={value}
      />
    );
  }
  return (
    <div className="field">
      <label htmlFor={id}>
        {field.label}
        {optional && (
          <>
            {" "}
            <span className="opt">(optional)</span>
          </>
        )}
      </label>
      {control}
      {error && (
        <p className="error" id={errorId}>
          {error}
        </p>
      )}
    </div>
  );
}

export function FormPage(props: {
  form: Form;
  action: string;
  /** The signed render time and one-time key (lib/forms/guard.ts). */
  token: string;
  /** The page the form sits on and the one before, carried to the submission. */
  context: VisitContext;
  values: SubmittedValues;
  /** Everything the submission sent, for the answers to the form's questions. */
  raw?: Record<string, unknown>;
  errors: FieldError[];
  /** A message about the whole submission (it could not be saved just now), above the form. */
  notice?: string;
  brand?: Brand;
  /** Drawn for the admin's preview: the same page, without its script. */
  preview?: boolean;
}) {
  const { form, action, token, context, values, raw = {}, errors, notice, brand, preview } = props;
  const errorOf = (name: string) => errors.find((e) => e.field === name)?.message;
  const { consent, fields, oneOf } = form.settings;
  // "Phone or email (one is needed)": the fields of which one must be given, together under one
  // legend at the first one's place, none of them marked optional.
  const either = fields.filter((f) => (oneOf as string[]).includes(f.name));
  const grouped = either.length > 1 ? either : [];
  const fieldOf = (field: FormField, optional?: boolean) => (
    <Field
      key={field.name}
      field={field}
      value={values[field.name] ?? ""}
      error={errorOf(field.name)}
      optional={optional}
    />
  );
  const description = form.intro ?? (brand ? `${form.title}: ${brand.name}` : undefined);
  return (
    <Page
      title={form.title}
      description={description}
      brand={brand}
      script={preview ? undefined : PAGE_SCRIPT}
      css={conditionCss(form.settings)}
    >
      <h1>{form.title}</h1>
      {form.intro && <p>{form.intro}</p>}
      {notice && (
        <div className="summary" role="alert">
          <p>{notice}</p>
        </div>
      )}
      {/* Filled by the page's script when it shows errors without a reload. */}
      <div className="summary" id="summary" role="alert" hidden={errors.length === 0}>
        {errors.length > 0 && (
          <>
            <p>Please check {errors.length === 1 ? "one field" : `${errors.length} fields`}:</p>
            <ul>
              {errors.map((e) => (
                <li key={e.field}>
                  <a href={`#f-${e.field}`}>{e.message}</a>
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
      <form
        method="post"
        action={action}
        noValidate
        data-form={form.slug}
        data-thanks={form.redirectUrl ?? `/f/${form.slug}/thanks`}
        data-outside={outsideAreaThanks(form.slug)}
        encType={form.settings.photos ? "multipart/form-data" : undefined}
      >
        <input type="hidden" name={TOKEN_FIELD} value={token} />
        {context.page && <input type="hidden" name={PAGE_FIELD} value={context.page} />}
        {context.referrer && <input type="hidden" name={REFERRER_FIELD} value={context.referrer} />}
        {/* A trap for bots that fill every field; people neither see it nor reach it by keyboard. */}
        <div className="hp" aria-hidden="true">
          <label htmlFor="f-hp">Leave this field empty</label>
          <input
            id="f-hp"
            type="text"
            name={HONEYPOT_FIELD}
            tabIndex={-1}
            autoComplete="off"
            defaultValue=""
          />
        </div>
        {fields.map((field) => {
          if (!grouped.includes(field)) return fieldOf(field);
          if (field !== grouped[0]) return null;
          const [first, ...rest] = grouped.map((f) => f.label);
          return (
            <fieldset key="either" className="field">
              <legend>
                {`${first} or ${rest.join(" or ").toLowerCase()} `}
                <span className="opt">(one is needed)</span>
              </legend>
              {grouped.map((f) => fieldOf(f, false))}
            </fieldset>
          );
        })}
        <Questions settings={form.settings} raw={raw} errorOf={errorOf} />
        {form.settings.preferredTime && <PreferredTime raw={raw} errorOf={errorOf} />}
        <PhotoField settings={form.settings.photos} error={errorOf("photos")} />
        {consent && (
          <div className="field">
            <div className="check">
              <input
                id="f-consent"
                type="checkbox"
                name="consent"
                defaultChecked={values.consent === "on"}
                aria-invalid={errorOf("consent") ? true : undefined}
                aria-describedby={errorOf("consent") ? "f-consent-error" : undefined}
              />
              <label htmlFor="f-consent">{consent.text}</label>
            </div>
            {errorOf("consent") && (
              <p className="error" id="f-consent-error">
                {errorOf("consent")}
              </p>
            )}
          </div>
        )}
        {env().TURNSTILE_SITE_KEY && (
          <>
            <div className="cf-turnstile field" data-sitekey={env().TURNSTILE_SITE_KEY} />
            <script src={`${TURNSTILE_ORIGIN}/turnstile/v0/api.js`} async defer />
          </>
        )}
        <button type="submit">Send</button>
      </form>
      <CallLine brand={brand} />
    </Page>
  );
}

export function MessagePage({ title, message, brand }: { title: string; message: string; brand?: Brand }) {
  return (
    <Page title={title} brand={brand}>
      <h1>{title}</h1>
      <p role="status">{message}</p>
      <CallLine brand={brand} />
    </Page>
  );
}

/**
 * After a submission: the form's thanks, what happens next (from the business hours) and a Call
 * button. Its script tells an embedding page the new, shorter height, so the frame fits the thanks.
 */
export function ThanksPage({
  form,
  brand,
  outsideArea,
}: {
  form: Form;
  brand?: Brand;
  outsideArea?: boolean;
}) {
  return (
    <Page
      title={form.title}
      description={`Your request to ${brand?.name ?? "us"} was sent: what happens next.`}
      brand={brand}
      script={PAGE_SCRIPT}
    >
      <h1>Request sent</h1>
      <p role="status">{form.thankYouMessage ?? "Thank you! We received your request."}</p>
      {outsideArea && (
        <div className="area">
          <h2>Your address may be outside our area</h2>
          <p>
            {`We have your request, but the address you gave looks outside the area we usually serve. We will let you know whether we can help${
              brand?.phone ? ", or call us to talk it over" : ""
            }.`}
          </p>
        </div>
      )}
      {brand && !outsideArea && (
        <>
          <h2>What happens next</h2>
          <p>{brand.reply}</p>
        </>
      )}
      {brand?.phone && (
        <p>
          <a className="button" href={brand.phone.href}>
            {`Call ${brand.phone.text}`}
          </a>
        </p>
      )}
    </Page>
  );
}

/** Static HTML of a page, without any script. */
export async function renderHtml(page: ReactNode): Promise<string> {
  // react-dom/server is refused in App Router code; react-dom/static is not, and gives the same HTML.
  const { prerender } = await import("react-dom/static");
  const { prelude } = await prerender(page);
  return new Response(prelude).text();
}
