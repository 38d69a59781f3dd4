import Link from "next/link";
import { RestoreButton } from "@/components/admin/review";
import { DateTime } from "@/components/ui/date-time";
import { SubmittedFields } from "@/components/leads/submitted-fields";
import { adminPage } from "@/lib/auth/admin-page";
import { listForms } from "@/lib/forms/repository";
import { reviewCounts, reviewList, type ReviewStatus } from "@/lib/forms/review";
import { env } from "@/lib/env";

type Search = Promise<Record<string, string | string[] | undefined>>;

const REASONS: Record<string, string> = {
  honeypot: "filled the hidden field people never see",
  "too-fast": "sent faster than a person fills the form",
  "bad-token": "a forged or reused form token",
  turnstile: "failed Cloudflare Turnstile",
  "rate-ip": "too many from one address this hour",
  "rate-form": "past the form's hourly budget",
};

const one = (value: string | string[] | undefined) =>
  typeof value === "string" && value ? value : undefined;

/**
 * What was kept but not made a lead: spam with its reason, and submissions held past a form's
 * hourly budget; newest first, of one form or all. "Not spam" or "Let through" makes one a lead as
 * if it had just arrived.
 */
export default adminPage<{ searchParams: Search }>({ adminOnly: true }, async (user, { searchParams }) => {
  const raw = await searchParams;
  const status: ReviewStatus = raw.status === "held" ? "held" : "spam";
  const formId = one(raw.form);
  const before = one(raw.before);
  const valid = (text: string | undefined) => (text && !Number.isNaN(Date.parse(text)) ? text : undefined);
  const [forms, counts, { items, next }] = await Promise.all([
    listForms(user.companyId),
    reviewCounts(user.companyId),
    reviewList(user.companyId, {
      status,
      formId: formIdOf(formId),
      before: valid(before),
    }),
  ]);
  const href = (changes: Record<string, string | undefined>) => {
    const qs = new URLSearchParams(
      Object.entries({ status, form: formId, ...changes }).flatMap(([k, v]) =>
        v && !(k === "status" && v === "spam") ? [[k, v]] : [],
      ),
    );
    return `/admin/review${qs.size ? `?${qs}` : ""}`;
  };
  return (
    <>
      <h1>Review</h1>
      <p>
        Nothing sent to your forms is thrown away. Spam is kept {env().SPAM_RETENTION_DAYS} days in case a
        real customer was caught; submissions past a form&apos;s hourly budget wait here until you let them
        through.
      </p>
      <nav className="tabs" aria-label="What to review">
        <Link
          href={href({ status: "spam", before: undefined })}
          aria-current={status === "spam" ? "page" : undefined}
        >
          Spam ({counts.spam})
        </Link>
        <Link
          href={href({ status: "held", before: undefined })}
          aria-current={status === "held" ? "page" : undefined}
        >
          Held ({counts.held})
        </Link>
      </nav>
      <form className="toolbar" method="get" action="/admin/review">
        <input type="hidden" name="status" value={status} />
        <div className="field">
          <label htmlFor="review-form">Form</label>
          <select id="review-form" name="form" defaultValue={formId ?? ""}>
            <option value="">All forms</option>
            {forms.map((form) => (
              <option key={form.id} value={form.id}>
                {form.title}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button">
          Show
        </button>
      </form>
      {items.length === 0 ? (
        <p className="muted">{status === "spam" ? "No spam." : "Nothing is held."}</p>
      ) : null}
      {items.map((item) => (
        <article
          key={item.id}
          className="card review-item"
          aria-label={`Submission of ${formatWhen(item.receivedAt)}`}
        >
          <header>
            <span>
              <strong>{item.form ?? "A deleted form"}</strong> · <DateTime value={item.receivedAt} />
              {item.reason ? <span className="muted"> · {REASONS[item.reason] ?? item.reason}</span> : null}
            </span>
            {item.formId ? (
              <RestoreButton id={item.id} label={status === "spam" ? "Not spam" : "Let through"} />
            ) : null}
          </header>
          <SubmittedFields fields={item.fields} />
          {item.page ? <p className="muted small">From {item.page}</p> : null}
        </article>
      ))}
      {next ? (
        <p className="pager">
          <Link href={href({ before: next })}>Older</Link>
        </p>
      ) : null}
    </>
  );
});

/** A form id from the address, when it looks like one (anything else shows every form). */
function formIdOf(value: string | undefined): string | undefined {
  return value && /^[0-9a-f-]{36}$/i.test(value) ? value : undefined;
}

function formatWhen(iso: string): string {
  return iso.slice(0, 16).replace("T", " ");
}
