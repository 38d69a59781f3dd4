import Link from "next/link";
import { Ago, formatDay, formatMinutes } from "@/components/ui/date-time";
import { now } from "@/lib/clock";
import { type ChecklistStep, firstRunChecklist } from "@/lib/company/checklist";
import { companyProfile } from "@/lib/company/profile";
import { type ResponseStats, type ResponseWeek, responseStats } from "@/lib/leads/response";
import { adminPage } from "@/lib/auth/admin-page";
import { scopeOf } from "@/lib/leads/admin";
import { DASHBOARD_DAYS } from "@/lib/leads/stats";
import { leadStore } from "@/lib/leads/store";
import { reviewCounts } from "@/lib/forms/review";
import { FormsPanel } from "@/components/admin/forms-panel";
import { outboxCounts } from "@/lib/outbox/log";
import { rotorUsage } from "@/lib/rotor/upstream";

function Breakdown({
  title,
  rows,
  param,
}: {
  title: string;
  rows: { label: string | null; count: number }[];
  param: string;
}) {
  const max = Math.max(1, ...rows.map((r) => r.count));
  return (
    <section className="card" aria-labelledby={`${param}-title`}>
      <h2 id={`${param}-title`}>{title}</h2>
      {rows.length === 0 ? <p className="muted">No leads yet.</p> : null}
      {rows.map((row) => (
        <div className="hbar" key={row.label ?? ""}>
          {row.label === null || param !== "stage" ? (
            <span>{row.label ?? "(none)"}</span>
          ) : (
            <Link href={`/admin/leads?stage=${encodeURIComponent(row.label)}`}>{row.label}</Link>
          )}
          <span className="fill" style={{ width: `${(row.count / max) * 100}%` }} aria-hidden="true" />
          <span>{row.count}</span>
        </div>
      ))}
    </section>
  );
}

/** The first run's steps, until every one is done. */
function Checklist({ steps }: { steps: ChecklistStep[] }) {
  if (steps.every((s) => s.done)) return null;
  const left = steps.filter((s) => !s.done).length;
  return (
    <section className="card checklist" aria-labelledby="checklist-title" style={{ marginBottom: "1rem" }}>
      <h2 id="checklist-title">Getting started</h2>
      <p className="muted">
        {left} of {steps.length} steps left. This list goes away once they are done.
      </p>
      <ol>
        {steps.map((step) => (
          <li key={step.id} className={step.done ? "done" : undefined}>
            {step.done ? (
              <>
                <span aria-hidden="true">✓ </span>
                <s>{step.label}</s>
                <span className="sr-only"> (done)</span>
              </>
            ) : step.href.startsWith("/admin") ? (
              <Link href={step.href}>{step.label}</Link>
            ) : (
              // The public form is a page of its own, outside the admin's app.
              <a href={step.href}>{step.label}</a>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}

function weekLine(week: ResponseWeek): string {
  if (week.medianMinutes === null || week.p90Minutes === null) return "no lead answered yet";
  if (week.answered === 1) return `1 lead, answered after ${formatMinutes(week.medianMinutes)}`;
  return `half answered within ${formatMinutes(week.medianMinutes)}, 90% within ${formatMinutes(week.p90Minutes)} (${week.answered} leads)`;
}

/** How fast leads were answered, and who is still waiting (speed to lead). */
function ResponseCard({ stats }: { stats: ResponseStats }) {
  const at = now();
  return (
    <section className="card" aria-labelledby="response-title">
      <h2 id="response-title">Time to first response</h2>
      <dl className="response-weeks">
        <div>
          <dt>This week</dt>
          <dd>{weekLine(stats.thisWeek)}</dd>
        </div>
        <div>
          <dt>Last week</dt>
          <dd>{weekLine(stats.lastWeek)}</dd>
        </div>
      </dl>
      <h3>Waiting over an hour</h3>
      {stats.waiting.length === 0 ? (
        <p className="muted">Nobody: every lead has been answered within the hour.</p>
      ) : (
        <ol className="waiting">
          {stats.waiting.map((lead) => (
            <li key={lead.id}>
              <Link href={`/admin/leads/${lead.id}`}>{lead.name ?? "(no name)"}</Link>, came in{" "}
              <Ago value={lead.createdAt} now={at} />
            </li>
          ))}
        </ol>
      )}
      {stats.waitingCount > stats.waiting.length ? (
        <p className="muted">and {stats.waitingCount - stats.waiting.length} more.</p>
      ) : null}
    </section>
  );
}

/**
 * Upstream mode: the leads, and so their counts, are Rotor's; the dashboard shows what the portal
 * itself knows: the quota spent today and what waits to go out.
 */
async function UpstreamDashboard({ companyId, admin }: { companyId: string; admin: boolean }) {
  const [{ used, quota }, counts] = await Promise.all([rotorUsage(), outboxCounts(companyId)]);
  return (
    <>
      <h1>Dashboard</h1>
      <p>
        This portal runs in front of a Rotor account: forms and the API write there, and{" "}
        <Link href="/admin/leads">the leads</Link> are read from there, kept a few minutes in the cache to
        spare Rotor&apos;s quota of {quota.toLocaleString("en-US")} requests a day.
      </p>
      <div className="stats">
        <section className="card" aria-labelledby="quota-title">
          <h2 id="quota-title">Rotor requests today (UTC)</h2>
          <p>
            <strong>{used.toLocaleString("en-US")}</strong> of {quota.toLocaleString("en-US")}
          </p>
        </section>
        <section className="card" aria-labelledby="outbox-title">
          <h2 id="outbox-title">Waiting for Rotor or a webhook</h2>
          <p>
            <strong>{counts.pending}</strong> waiting, <strong>{counts.failed}</strong> failed
            {admin ? (
              <>
                {" "}
                · <Link href="/admin/deliveries">Deliveries</Link>
              </>
            ) : null}
          </p>
        </section>
      </div>
    </>
  );
}

export default adminPage({}, async (user) => {
  const store = await leadStore(user.companyId);
  if (!store.capabilities.stats)
    return <UpstreamDashboard companyId={user.companyId} admin={user.role === "admin"} />;
  const profile = await companyProfile(user.companyId);
  const [stats, review, response, checklist] = await Promise.all([
    store.stats(scopeOf(user)),
    user.role === "admin" ? reviewCounts(user.companyId) : null,
    responseStats(scopeOf(user), profile.timeZone),
    user.role === "admin" ? firstRunChecklist(user) : [],
  ]);
  const max = Math.max(1, ...stats.perDay.map((d) => d.count));
  const lastMonth = stats.perDay.reduce((sum, d) => sum + d.count, 0);
  return (
    <>
      <h1>Dashboard</h1>
      <p>
        <strong>{stats.total}</strong> open leads{user.role === "member" ? " assigned to you" : ""};{" "}
        <strong>{lastMonth}</strong> new in the last {DASHBOARD_DAYS} days.{" "}
        <Link href="/admin/leads">See the leads</Link>
      </p>
      <Checklist steps={checklist} />
      {review && review.held > 0 ? (
        <p className="notice" role="status">
          <strong>{review.held}</strong> submission{review.held === 1 ? " was" : "s were"} held past a
          form&apos;s hourly budget and wait for you.{" "}
          <Link href="/admin/review?status=held">Review them</Link>
        </p>
      ) : null}
      {review && review.spam > 0 ? (
        <p className="muted">
          {review.spam} spam submission{review.spam === 1 ? "" : "s"} kept.{" "}
          <Link href="/admin/review">Look through them</Link>
        </p>
      ) : null}
      <ResponseCard stats={response} />
      <section className="card" aria-labelledby="per-day-title" style={{ marginTop: "1rem" }}>
        <h2 id="per-day-title">New leads per day, last {DASHBOARD_DAYS} days (UTC)</h2>
        {lastMonth === 0 ? (
          <p className="muted">
            No leads in the last {DASHBOARD_DAYS} days yet.{" "}
            <Link href="/admin/forms">Share or embed your form</Link> to start receiving them.
          </p>
        ) : (
          <div
            className="bars"
            role="img"
            aria-label={`Leads per day: ${stats.perDay.map((d) => `${formatDay(d.day)}: ${d.count}`).join("; ")}`}
          >
            {stats.perDay.map((d) => (
              <span
                key={d.day}
                className="bar"
                style={{ height: `${(d.count / max) * 100}%` }}
                title={`${formatDay(d.day)}: ${d.count}`}
              />
            ))}
          </div>
        )}
        <p className="muted">
          {formatDay(stats.perDay[0]!.day)} to {formatDay(stats.perDay.at(-1)!.day)}
        </p>
      </section>
      <div className="stats" style={{ marginTop: "1rem" }}>
        <Breakdown title="Open leads by stage" rows={stats.byStage} param="stage" />
        <Breakdown title="Open leads by source" rows={stats.bySource} param="source" />
      </div>
      {user.role === "admin" ? <FormsPanel companyId={user.companyId} /> : null}
    </>
  );
});
