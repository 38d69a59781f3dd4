import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { LeadEditor } from "@/components/leads/lead-editor";
import { LeadHeader } from "@/components/leads/lead-header";
import { LeadPhotos } from "@/components/leads/lead-photos";
import { LeadTimeline } from "@/components/leads/lead-timeline";
import { SubmittedFields } from "@/components/leads/submitted-fields";
import { latestAnswers } from "@/lib/forms/lead-answers";
import { MergeNotices } from "@/components/leads/merge-notices";
import { PersonActions } from "@/components/leads/person-actions";
import { ProposedChanges } from "@/components/leads/proposed-changes";
import { DateTime } from "@/components/ui/date-time";
import { now } from "@/lib/clock";
import { latestMessage } from "@/lib/leads/response";
import { adminPage } from "@/lib/auth/admin-page";
import { DomainError } from "@/lib/errors";
import { RotorRejectedError, RotorUnavailableError } from "@/lib/rotor/contract";
import { type AdminLead, assignableUsers } from "@/lib/leads/admin";
import { duplicatesOf } from "@/lib/leads/duplicates";
import { leadPhotos } from "@/lib/leads/lead-photos";
import { leadTimeline, openProposals } from "@/lib/leads/history";
import { mergedInto, undoableMerges } from "@/lib/leads/merge";
import { markRead } from "@/lib/leads/reads";
import { pipeline } from "@/lib/leads/pipeline";
import { type LeadStore, leadStore } from "@/lib/leads/store";
import type { SessionUser } from "@/lib/auth/users";

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export default adminPage<Props>({}, async (user, { params, searchParams }) => {
  const { id } = await params;
  const store = await leadStore(user.companyId);
  let lead: AdminLead;
  try {
    lead = await store.getForStaff(user, id);
  } catch (error) {
    // Rotor's own 404 too, in upstream mode: its body is passed on by the API, not shown here.
    const missing =
      (error instanceof DomainError && error.code === "not_found") ||
      (error instanceof RotorRejectedError && error.status === 404);
    if (missing) {
      // A lead merged into another: its old address (a bookmark, an alert's link) leads there.
      const into = store.capabilities.merge ? await mergedInto(user.companyId, id) : null;
      if (into) redirect(`/admin/leads/${into}`);
      notFound();
    }
    if (error instanceof RotorUnavailableError) {
      return (
        <>
          <p>
            <Link href="/admin/leads">← Leads</Link>
          </p>
          <h1>Lead</h1>
          <p role="alert">Rotor, where this lead lives, is not answering. Try again in a minute.</p>
        </>
      );
    }
    throw error;
  }
  // Only admins assign, so only they get the list of staff; a member sees who has the lead.
  const assignees = !store.capabilities.assign
    ? []
    : user.role === "admin"
      ? await assignableUsers(user.companyId)
      : lead.assigned_to
        ? [{ id: lead.assigned_to, label: lead.assigned_to === user.id ? "You" : "Another member of staff" }]
        : [];
  const merges = store.capabilities.merge && user.role === "admin";
  const [proposals, timeline, message, stages, duplicates, undoable, answers, photos] = await Promise.all([
    store.capabilities.history ? openProposals(user, id) : [],
    store.capabilities.history ? leadTimeline(user, id) : null,
    store.capabilities.history ? latestMessage(lead) : lead.notes,
    pipeline(user.companyId),
    merges ? duplicatesOf(user.companyId, id) : [],
    merges ? undoableMerges(user.companyId, id) : [],
    store.capabilities.history ? latestAnswers(user.companyId, id) : null,
    // Photos are kept with the submissions, which only the local store holds.
    store.capabilities.history ? leadPhotos(user, id) : [],
    // Opening the lead is looking at it: it is no longer New or Updated for this user.
    store.capabilities.triage ? markRead(user.id, [id]).then(() => null) : null,
  ]);
  const unmerged = merges ? await restoredLead(user, store, (await searchParams).unmerged) : null;
  const assignee = lead.assigned_to
    ? (assignees.find((a) => a.id === lead.assigned_to)?.label ?? "Another member of staff")
    : null;
  return (
    <>
      <p>
        <Link href="/admin/leads">← Leads</Link>
      </p>
      <LeadHeader
        lead={lead}
        message={message}
        assignee={assignee}
        now={now()}
        canMarkContacted={store.capabilities.history}
      />
      <p className="muted">
        Created <DateTime value={lead.created_at} /> · updated <DateTime value={lead.updated_at} /> · value
        score {lead.value_score}
        {lead.archived ? (
          <>
            {" "}
            · archived <DateTime value={lead.archived_at} />
          </>
        ) : null}
      </p>
      <MergeNotices
        leadId={lead.id}
        duplicates={duplicates}
        undoable={undoable}
        unmerged={unmerged}
        now={now()}
      />
      {answers ? (
        <section className="card answers-card" aria-labelledby="answers-title">
          <h2 id="answers-title">Answers</h2>
          <SubmittedFields fields={{}} answers={answers.answers} />
          <p className="muted small">
            {answers.form ? `From “${answers.form}”, ` : null}
            <DateTime value={answers.receivedAt.toISOString()} />
          </p>
        </section>
      ) : null}
      <ProposedChanges leadId={lead.id} proposals={proposals} current={lead} />
      <LeadPhotos photos={photos} />
      <details className="edit-lead">
        <summary>Edit lead</summary>
        <LeadEditor
          lead={lead}
          assignees={assignees}
          canAssign={user.role === "admin"}
          capabilities={store.capabilities}
          stages={stages}
        />
      </details>
      {timeline ? <LeadTimeline leadId={lead.id} entries={timeline.entries} next={timeline.next} /> : null}
      {timeline && user.role === "admin" ? (
        <PersonActions leadId={lead.id} name={lead.name || lead.email || lead.phone || "this person"} />
      ) : null}
    </>
  );
});

/** The lead an undo just brought back (`?unmerged=ID`), if it is there: the page links to it. */
async function restoredLead(
  user: SessionUser,
  store: LeadStore,
  given: string | string[] | undefined,
): Promise<{ id: string; name: string } | null> {
  if (typeof given !== "string") return null;
  try {
    const lead = await store.getForStaff(user, given);
    return { id: lead.id, name: lead.name || lead.email || lead.phone || "The other lead" };
  } catch {
    return null;
  }
}
