import { and, desc, eq, inArray, lt, sql } from "drizzle-orm";
import { now } from "@/lib/clock";
import type { SessionUser } from "@/lib/auth/users";
import { getDb } from "@/lib/db/client";
import {
  apiKeys,
  forms,
  type HistoryKind,
  leadHistory,
  leadProposals,
  submissions,
  users,
} from "@/lib/db/schema";
import { fail } from "@/lib/errors";
import { staffActor } from "./actor";
import { invalidateLeadLists } from "./cache";
import { normaliseLeadInput } from "./normalise";
import { upsertLead } from "./upsert";
import { noteResponse } from "./response";
import { visibleLead } from "./visible-lead";
import type { Answer } from "@/lib/forms/answer-text";
import { storedAnswers } from "@/lib/forms/answers";

/** A submission as its lead's history shows it: every field as sent, and where it came from. */
export interface TimelineSubmission {
  id: string;
  form: string | null;
  fields: Record<string, unknown>;
  /** The answers to the form's own questions, under the labels they were asked with. */
  answers: Answer[];
  page: string | null;
  referrer: string | null;
  campaign: Record<string, string>;
  clickIds: Record<string, string>;
}

/** One entry of a lead's history, newest first on the lead page. */
export interface TimelineEntry {
  id: number;
  at: string;
  kind: HistoryKind;
  /** Who: a member of staff's name, an API key's name and prefix; null for a visitor. */
  actor: string | null;
  created: boolean;
  /** Each changed field's value before and after. */
  changes: Record<string, [unknown, unknown]>;
  /** What a submission proposed instead of writing over the lead. */
  proposed: Record<string, unknown>;
  note: string | null;
  /** A proposed change staff accepted or dismissed. */
  decision: { field: string; value: unknown; accepted: boolean } | null;
  /** A webhook delivery's end: the event, the receiver's host, and what came of it. */
  delivery: { event: string; to: string; result: "delivered" | "failed"; status: number | null } | null;
  /** "Mark contacted": whether it was the lead's first response. */
  firstResponse: boolean;
  submission: TimelineSubmission | null;
  /** A merge (lib/leads/merge.ts): another lead joined this one, a merge was undone, or this lead came back. */
  merge: { kind: "merged" | "undone" | "restored"; other: { id: string; name: string | null } } | null;
}

export interface OpenProposal {
  id: number;
  field: string;
  value: unknown;
  at: string;
}

const PAGE = 50;

const UTM = ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"] as const;

/**
 * A page of one lead's history, newest first: `before` is the last id of the previous page. A
 * lead the user may not see is as absent as a missing one.
 */
export async function leadTimeline(
  user: SessionUser,
  leadId: string,
  options: { before?: number; limit?: number } = {},
): Promise<{ entries: TimelineEntry[]; next: number | null }> {
  await visibleLead(user, leadId);
  return timelineOf(user.companyId, leadId, options);
}

/** The history of a lead of the company, without a visibility check (exports, a person's data). */
export async function timelineOf(
  companyId: string,
  leadId: string,
  { before, limit = PAGE }: { before?: number; limit?: number } = {},
): Promise<{ entries: TimelineEntry[]; next: number | null }> {
  const db = await getDb();
  const rows = await db
    .select({
      id: leadHistory.id,
      at: leadHistory.at,
      kind: leadHistory.kind,
      actorName: leadHistory.actorName,
      userName: sql<string | null>`coalesce(${users.name}, ${users.email})`,
      keyName: apiKeys.name,
      keyPrefix: apiKeys.prefix,
      actorKeyId: leadHistory.actorKeyId,
      data: leadHistory.data,
      submission: submissions,
      formTitle: forms.title,
    })
    .from(leadHistory)
    .leftJoin(users, eq(users.id, leadHistory.actorUserId))
    .leftJoin(apiKeys, eq(apiKeys.id, leadHistory.actorKeyId))
    .leftJoin(submissions, eq(submissions.id, leadHistory.submissionId))
    .leftJoin(forms, eq(forms.id, submissions.formId))
    .where(
      and(
        eq(leadHistory.leadId, leadId),
        eq(leadHistory.companyId, companyId),
        before === undefined ? undefined : lt(leadHistory.id, before),
      ),
    )
    .orderBy(desc(leadHistory.id))
    .limit(limit + 1);
  const entries = rows.slice(0, limit).map((row): TimelineEntry => {
    const data = row.data as {
      created?: boolean;
      changes?: Record<string, [unknown, unknown]>;
      proposed?: Record<string, unknown>;
      note?: string;
      decision?: TimelineEntry["decision"];
      delivery?: TimelineEntry["delivery"];
      first?: boolean;
      merged?: { id: string; name: string | null };
      undone?: { id: string; name: string | null };
      restored_from?: string;
    };
    const s = row.submission;
    const actor =
      row.kind === "api"
        ? row.keyName
          ? `API key “${row.keyName}” (${row.keyPrefix}…)`
          : row.actorKeyId === null
            ? "The API"
            : "A deleted API key"
        : (row.userName ?? row.actorName);
    return {
      id: row.id,
      at: row.at.toISOString(),
      kind: row.kind,
      actor: row.kind === "submission" || row.kind === "delivery" ? null : actor,
      created: data.created ?? false,
      changes: data.changes ?? {},
      proposed: data.proposed ?? {},
      note: data.note ?? null,
      decision: data.decision ?? null,
      delivery: data.delivery ?? null,
      firstResponse: data.first ?? false,
      merge: data.merged
        ? { kind: "merged", other: data.merged }
        : data.undone
          ? { kind: "undone", other: data.undone }
          : data.restored_from
            ? { kind: "restored", other: { id: data.restored_from, name: null } }
            : null,
      submission: s
        ? {
            id: s.id,
            form: row.formTitle,
            fields: s.fields as Record<string, unknown>,
            answers: storedAnswers(s.answers),
            page: s.page,
            referrer: s.referrer,
            campaign: Object.fromEntries(
              UTM.flatMap((name) => {
                const value = s[`utm${name[4]!.toUpperCase()}${name.slice(5)}` as keyof typeof s];
                return typeof value === "string" ? [[name, value]] : [];
              }),
            ),
            clickIds: (s.clickIds as Record<string, string> | null) ?? {},
          }
        : null,
    };
  });
  await nameAssignees(entries);
  return { entries, next: rows.length > limit ? entries.at(-1)!.id : null };
}

/** An assignment's before and after as people's names rather than user ids. */
async function nameAssignees(entries: TimelineEntry[]): Promise<void> {
  const ids = new Set<string>();
  for (const entry of entries) {
    for (const id of entry.changes.assigned_to ?? []) if (typeof id === "string") ids.add(id);
  }
  if (ids.size === 0) return;
  const db = await getDb();
  const found = await db
    .select({ id: users.id, name: sql<string>`coalesce(${users.name}, ${users.email})` })
    .from(users)
    .where(inArray(users.id, [...ids]));
  const names = new Map(found.map((user) => [user.id, user.name]));
  for (const entry of entries) {
    const change = entry.changes.assigned_to;
    if (!change) continue;
    const name = (id: unknown) => (typeof id === "string" ? (names.get(id) ?? "a removed user") : id);
    entry.changes.assigned_to = [name(change[0]), name(change[1])];
  }
}

/** The changes submissions proposed for a lead that staff have not decided on yet, oldest first. */
export async function openProposals(user: SessionUser, leadId: string): Promise<OpenProposal[]> {
  await visibleLead(user, leadId);
  const db = await getDb();
  const rows = await db
    .select()
    .from(leadProposals)
    .where(and(eq(leadProposals.leadId, leadId), eq(leadProposals.status, "open")))
    .orderBy(leadProposals.id);
  return rows.map((p) => ({ id: p.id, field: p.field, value: p.value, at: p.at.toISOString() }));
}

/**
 * Accepts a proposed change (its value is written to the lead, through the upsert, as an edit of
 * the user's) or dismisses it; either way the decision is an entry of the lead's history. A
 * proposal decided already is a 409.
 */
export async function decideProposal(
  user: SessionUser,
  leadId: string,
  proposalId: number,
  accept: boolean,
): Promise<void> {
  await visibleLead(user, leadId);
  const db = await getDb();
  const [proposal] = await db
    .update(leadProposals)
    .set({ status: accept ? "accepted" : "dismissed", decidedBy: user.id, decidedAt: now() })
    .where(
      and(
        eq(leadProposals.id, proposalId),
        eq(leadProposals.leadId, leadId),
        eq(leadProposals.status, "open"),
      ),
    )
    .returning();
  if (!proposal) throw fail.conflict("This change was already accepted or dismissed");
  const actor = staffActor(user);
  if (accept) {
    const changes = normaliseLeadInput({ id: leadId, [proposal.field]: proposal.value });
    await upsertLead(user.companyId, changes, {}, { actor });
  }
  await record(user, leadId, "proposal", {
    decision: { field: proposal.field, value: proposal.value, accepted: accept },
  });
}

/** A note staff add to a lead's history, with its author. */
export async function addNote(user: SessionUser, leadId: string, note: string): Promise<void> {
  await visibleLead(user, leadId);
  await record(user, leadId, "note", { note });
  await noteResponse(user, leadId);
  await invalidateLeadLists(user.companyId);
}

async function record(
  user: SessionUser,
  leadId: string,
  kind: HistoryKind,
  data: Record<string, unknown>,
): Promise<void> {
  const db = await getDb();
  const actor = staffActor(user);
  await db.insert(leadHistory).values({
    companyId: user.companyId,
    leadId,
    at: now(),
    kind,
    actorUserId: user.id,
    actorName: actor.kind === "staff" ? actor.name : null,
    data,
  });
}
