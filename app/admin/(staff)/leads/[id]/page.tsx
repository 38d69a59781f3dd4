import Link from "next/link";
import { notFound } from "next/navigation";
import { LeadEditor } from "@/components/leads/lead-editor";
import { LeadHeader } from "@/components/leads/lead-header";
import { LeadTimeline } from "@/components/leads/lead-timeline";
import { PersonActions } from "@/components/leads/person-actions";
import { ProposedChanges } from "@/components/leads/proposed-changes";
import { DateTime } from "@/components/ui/date-time";
import { now } from "@/lib/clock";
import { latestMessage } from "@/lib/leads/response";
import { adminPage } from "@/lib/auth/admin-page";
import { DomainError } from "@/lib/errors";
import { RotorRejectedError, RotorUnavailableError } from "@/lib/rotor/contract";
import { type AdminLead, assignableUsers } from "@/lib/leads/admin";
import { leadTimeline, openProposals } from "@/lib/leads/history";
import { pipeline } from "@/lib/leads/pipeline";
import { leadStore } from "@/lib/leads/store";

export default adminPage<{ params: Promise<{ id: string }> }>({}, async (user, { params }) => {
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
    if (missing) notFound();
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
  const [proposals, timeline, message, stages] = await Promise.all([
    store.capabilities.history ? openProposals(user, id) : [],
    store.capabilities.history ? leadTimeline(user, id) : null,
    store.capabilities.history ? latestMessage(lead) : lead.notes,
    pipeline(user.companyId),
  ]);
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
      <ProposedChanges leadId={lead.id} proposals={proposals} current={lead} />
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
