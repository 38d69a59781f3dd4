import Link from "next/link";
import { ReplayButton, WebhookEndpoints } from "@/components/admin/deliveries";
import { DateTime } from "@/components/ui/date-time";
import { adminPage } from "@/lib/auth/admin-page";
import { listOutbox, outboxCounts, type OutboxEntry, outboxQuerySchema } from "@/lib/outbox/log";
import { leadStore } from "@/lib/leads/store";
import { now } from "@/lib/clock";
import { listEndpoints } from "@/lib/webhooks";
import { BREAKER_FAILURES, BREAKER_PAUSE_MS } from "@/lib/webhooks/breaker";

type Search = Promise<Record<string, string | string[] | undefined>>;

/** What an item is, where its event does not say it. */
const KIND_LABELS: Partial<Record<OutboxEntry["kind"], string>> = {
  rotor: "Form submission",
  email: "Email",
  sms: "Text message",
  push: "Push",
  digest: "Morning digest",
};

const FILTERS = [
  { label: "All", status: undefined },
  { label: "Waiting", status: "pending" },
  { label: "Failed", status: "failed" },
  { label: "Delivered", status: "delivered" },
] as const;

/** Webhook endpoints, and the log of what went out (to Rotor, to the endpoints) with replay. */
export default adminPage<{ searchParams: Search }>({ adminOnly: true }, async (user, { searchParams }) => {
  const raw = await searchParams;
  const parsed = outboxQuerySchema.safeParse({
    status: typeof raw.status === "string" && raw.status ? raw.status : undefined,
    page: typeof raw.page === "string" ? raw.page : undefined,
  });
  const query = parsed.success ? parsed.data : outboxQuerySchema.parse({});
  const [endpoints, { entries, hasMore }, counts, store] = await Promise.all([
    listEndpoints(user.companyId),
    listOutbox(user.companyId, query),
    outboxCounts(user.companyId),
    leadStore(user.companyId),
  ]);
  const href = (status: string | undefined, page = 1) => {
    const qs = new URLSearchParams({
      ...(status ? { status } : {}),
      ...(page > 1 ? { page: String(page) } : {}),
    });
    return `/admin/deliveries${qs.size ? `?${qs}` : ""}`;
  };
  return (
    <>
      <h1>Deliveries</h1>
      <h2>Webhooks</h2>
      <p>
        Every created or updated lead is posted to each endpoint as JSON, signed in the{" "}
        <code>X-Portal-Signature</code> header (<code>t=…,v1=…</code>: HMAC-SHA256 of the timestamp, a dot and
        the body, with the endpoint&apos;s secret). A delivery that fails is retried with growing waits. An
        endpoint that fails {BREAKER_FAILURES} times in a row is paused for {BREAKER_PAUSE_MS / 60_000}{" "}
        minutes, and again after each failure until a delivery succeeds; <em>Resume</em> sends what waits for
        it at once. Only public addresses are reached, and redirects are not followed.
      </p>
      <WebhookEndpoints
        endpoints={endpoints.map((e) => ({
          ...e,
          // A pause whose end has passed is over: the endpoint shows as on.
          pausedUntil: e.pausedUntil && e.pausedUntil > now() ? e.pausedUntil : null,
        }))}
      />
      <h2>Log</h2>
      <p>
        {store.capabilities.queuedSubmissions
          ? "Submissions waiting for Rotor, webhook deliveries, and alerts and auto-replies by email, text and push. A submission Rotor refused (for a reason such as a field it does not accept) waits here as failed: fix the cause, then send it again. "
          : "Webhook deliveries, and alerts and auto-replies by email, text and push (whom each was for, never what it said). "}
        <strong>{counts.pending}</strong> waiting, <strong>{counts.failed}</strong> failed.
      </p>
      <nav aria-label="Filter the log" className="toolbar">
        {FILTERS.map((f) => (
          <Link
            key={f.label}
            href={href(f.status)}
            aria-current={query.status === f.status ? "page" : undefined}
          >
            {f.label}
          </Link>
        ))}
      </nav>
      {entries.length === 0 ? (
        <p className="muted">Nothing here.</p>
      ) : (
        <div className="table-wrap">
          <table className="data cards">
            <thead>
              <tr>
                <th scope="col">Queued</th>
                <th scope="col">To</th>
                <th scope="col">What</th>
                <th scope="col">State</th>
                <th scope="col">Attempts</th>
                <th scope="col">Last answer</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td data-label="Queued">
                    <DateTime value={e.createdAt} />
                  </td>
                  <td data-label="To">
                    <code>{e.target}</code>
                  </td>
                  <td data-label="What">
                    {KIND_LABELS[e.kind] ?? e.event}
                    {e.leadId ? (
                      <>
                        {" "}
                        · <Link href={`/admin/leads/${e.leadId}`}>lead</Link>
                      </>
                    ) : null}
                  </td>
                  <td data-label="State">
                    {e.status === "pending" ? (
                      <>
                        waiting, next try <DateTime value={e.nextAttemptAt} />
                      </>
                    ) : e.status === "delivered" ? (
                      <>
                        delivered <DateTime value={e.deliveredAt} />
                      </>
                    ) : (
                      "failed"
                    )}
                  </td>
                  <td data-label="Attempts">{e.attempts}</td>
                  <td data-label="Last answer">
                    {e.lastStatus ?? ""} {e.lastError ?? ""}
                  </td>
                  <td className="actions">
                    {e.status === "failed" ? (
                      <ReplayButton id={e.id} label="Send again" />
                    ) : e.status === "delivered" && e.kind === "webhook" ? (
                      <ReplayButton id={e.id} label="Replay" />
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="toolbar">
        {query.page > 1 ? <Link href={href(query.status, query.page - 1)}>Newer</Link> : null}
        {hasMore ? <Link href={href(query.status, query.page + 1)}>Older</Link> : null}
      </p>
    </>
  );
});
