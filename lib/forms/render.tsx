import type { ReactNode } from "react";
import type { FieldError } from "@/lib/errors";
import { env } from "@/lib/env";
import { PAGE_FIELD, REFERRER_FIELD, type VisitContext } from "./context";
import { HONEYPOT_FIELD, TOKEN_FIELD } from "./guard";
import { PAGE_SCRIPT } from "./page-script";
import type { FormField } from "./schema";
import type { Form } from "./repository";
import type { SubmittedValues } from "./submit";

// The whole page's style: small enough to inline, so the page is one request and needs no script.
const CSS = `*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,sans-serif;color:#1a1a1a;background:#fff}
main{max-width:560px;margin:0 auto;padding:24px 16px}h1{font-size:1.5rem;margin:0 0 8px}p{margin:0 0 16px}
.field{margin:0 0 16px}label{display:block;font-weight:600;margin:0 0 4px}.opt{font-weight:400;color:#555}
input,select,textarea{width:100%;font:inherit;padding:10px;border:1px solid #767676;border-radius:6px}
textarea{min-height:120px}input:focus,select:focus,textarea:focus,button:focus{outline:3px solid #1d4ed8;outline-offset:1px}
[aria-invalid=true]{border-color:#b91c1c}.error{color:#b91c1c;margin:4px 0 0}
.summary{border:2px solid #b91c1c;border-radius:6px;padding:12px;margin:0 0 16px}
.check{display:flex;gap:8px;align-items:flex-start}.check input{width:auto;margin-top:4px}
.hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}
button{font:inherit;font-weight:600;padding:12px 20px;border:0;border-radius:6px;background:#1d4ed8;color:#fff;cursor:pointer}`;

export const TURNSTILE_ORIGIN = "https://challenges.cloudflare.com";

function Page({ title, children, script }: { title: string; children: ReactNode; script?: string }) {
  return (
    <html lang="en">
      {/* eslint-disable-next-line @next/next/no-head-element -- a standalone page, not rendered by Next.js */}
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title}</title>
        <style>{CSS}</style>
      </head>
      <body>
        <main>{children}</main>
        {script && <script dangerouslySetInnerHTML={{ __html: script }} />}
      </body>
    </html>
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

function Field({ field, value, error }: { field: FormField; value: string; error?: string }) {
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
        {field.label} {!field.required && <span className="opt">(optional)</span>}
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
  errors: FieldError[];
  /** A message about the whole submission (it could not be saved just now), above the form. */
  notice?: string;
}) {
  const { form, action, token, context, values, errors, notice } = props;
  const errorOf = (name: string) => errors.find((e) => e.field === name)?.message;
  const { consent } = form.settings;
  return (
    <Page title={form.title} script={PAGE_SCRIPT}>
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
        {form.settings.fields.map((field) => (
          <Field
            key={field.name}
            field={field}
            value={values[field.name] ?? ""}
            error={errorOf(field.name)}
          />
        ))}
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
    </Page>
  );
}

export function MessagePage({ title, message }: { title: string; message: string }) {
  return (
    <Page title={title}>
      <h1>{title}</h1>
      <p role="status">{message}</p>
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
