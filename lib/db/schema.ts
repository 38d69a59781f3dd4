import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  customType,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

const createdAt = () => timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();

/**
 * A business and its profile (lib/company/profile.ts): what forms, alerts and auto-replies say of
 * it, and when it is open.
 */
export const companies = pgTable("companies", {
  id: uuid("id").primaryKey().defaultRandom(),
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
  createdAt: createdAt(),
  phone: text("phone"),
  replyTo: text("reply_to"),
  // An image as a data: URL (small, checked by its bytes when uploaded) or an https URL.
  logo: text("logo"),
  color: text("color"),
  // IANA name; null until an admin chooses one (UTC is used meanwhile).
  timeZone: text("time_zone"),
  // Seven entries, Monday first, each {open, close} or null (lib/company/hours.ts).
  businessHours: jsonb("business_hours"),
  // How soon the business answers during its hours, as an auto-reply says it ("2 hours").
  replyWithin: text("reply_within"),
  // Where staff reach the admin, learned from an admin's own requests; alerts link there unless
  // PUBLIC_URL says otherwise.
  portalUrl: text("portal_url"),
});

export const leads = pgTable(
  "leads",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    companyId: uuid("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    name: text("name"),
    email: text("email"),
    // Lower-cased email and the phone's digits exist for matching and search; lib/leads keeps them in step.
    emailLc: text("email_lc"),
    phone: text("phone"),
    phoneDigits: text("phone_digits"),
    addressStreet1: text("address_street1"),
    addressStreet2: text("address_street2"),
    addressCity: text("address_city"),
    addressState: text("address_state"),
    addressZip: text("address_zip"),
    addressCountry: text("address_country"),
    followUpDate: timestamp("follow_up_date", { withTimezone: true, mode: "date" }),
    notes: text("notes"),
    priority: text("priority", { enum: ["low", "medium", "high"] }),
    projectedValue: doublePrecision("projected_value"),
    serviceType: text("service_type"),
    source: text("source"),
    stage: text("stage"),
    tags: text("tags")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    tagsLc: text("tags_lc")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    archived: boolean("archived").notNull().default(false),
    archivedAt: timestamp("archived_at", { withTimezone: true, mode: "date" }),
    // The id of the user the lead is assigned to; a member of staff sees only the leads assigned to
    // them or created by them.
    assignedTo: text("assigned_to"),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    // One text to search: name, email and phone digits, separated by a control character that a
    // search term cannot contain, so that a match never spans two fields. Kept by the database.
    searchText: text("search_text")
      .notNull()
      .generatedAlwaysAs(
        sql`lower(coalesce(name, '')) || chr(31) || coalesce(email_lc, '') || chr(31) || coalesce(phone_digits, '')`,
      ),
    // The first time staff answered: "Mark contacted", a stage change or a note (lib/leads/response.ts).
    firstResponseAt: timestamp("first_response_at", { withTimezone: true, mode: "date" }),
    firstResponseBy: uuid("first_response_by"),
    // When the stage last changed (the stage trigger keeps it): "Won this month" and the like.
    stageChangedAt: timestamp("stage_changed_at", { withTimezone: true, mode: "date" })
      .notNull()
      .defaultNow(),
    latitude: doublePrecision("latitude"),
    longitude: doublePrecision("longitude"),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [
    // The list's order per company: newest first, id as the tie-break.
    index("leads_company_created_idx").on(
      t.companyId,
      t.createdAt.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
    // The same order over the leads that are not archived (what lists show unless asked), and by
    // stage: a list and its total come from the index alone, without visiting every lead.
    index("leads_active_created_idx")
      .on(t.companyId, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst())
      .where(sql`archived = false`),
    index("leads_active_stage_idx")
      .on(t.companyId, sql`lower(${t.stage})`, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst())
      .where(sql`archived = false`),
    index("leads_company_phone_idx").on(t.companyId, t.phone),
    index("leads_company_email_idx").on(t.companyId, t.emailLc),
    index("leads_tags_idx").using("gin", t.tagsLc),
    // Substring search: a trigram index serves LIKE '%term%' over name, email and phone at once.
    index("leads_search_trgm_idx").using("gin", sql`${t.searchText} gin_trgm_ops`),
    index("leads_company_assigned_idx").on(t.companyId, t.assignedTo),
    index("leads_company_creator_idx").on(t.companyId, t.createdBy),
    // The leads still waiting for an answer, oldest first (the dashboard).
    index("leads_waiting_idx")
      .on(t.companyId, t.createdAt)
      .where(sql`first_response_at is null and archived = false`),
    // Probable duplicates (lib/leads/duplicates.ts): the same name, or the same email once dots and
    // plus-tags are left out. The two functions are the migration's.
    index("leads_name_key_idx").on(t.companyId, sql`lead_name_key(${t.name})`),
    index("leads_email_key_idx").on(t.companyId, sql`lead_email_key(${t.emailLc})`),
  ],
);

export const ROLES = ["admin", "member"] as const;
export type Role = (typeof ROLES)[number];

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    companyId: uuid("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    // Stored lower-cased: people sign in with their address however they type it.
    email: text("email").notNull(),
    name: text("name"),
    // bcrypt; null for a user who signs in only with GitHub or Google.
    passwordHash: text("password_hash"),
    role: text("role", { enum: ROLES }).notNull(),
    createdAt: createdAt(),
    // When the password last changed (shown to admins).
    passwordChangedAt: timestamp("password_changed_at", { withTimezone: true, mode: "date" }),
    // Every session carries the version it began under; a new password, a reset or a role change
    // raises it, and every earlier session ends (lib/auth/session.ts).
    sessionVersion: integer("session_version").notNull().default(0),
    lastSignInAt: timestamp("last_sign_in_at", { withTimezone: true, mode: "date" }),
    // What alerts this user wants, how and when (lib/alerts/preferences.ts); null is the default.
    alerts: jsonb("alerts"),
    // Leads created before this count as seen: a new colleague, or the version that began marking
    // new and changed leads, does not start with every lead marked new (lib/leads/reads.ts).
    seenSince: timestamp("seen_since", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("users_email_idx").on(t.email), index("users_company_idx").on(t.companyId)],
);

export const apiKeys = pgTable(
  "api_keys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    companyId: uuid("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    // Only a SHA-256 of the key is kept; the prefix lets people tell their keys apart.
    prefix: text("prefix").notNull(),
    keyHash: text("key_hash").notNull(),
    scopes: text("scopes").array().notNull(),
    dailyLimit: integer("daily_limit").notNull(),
    createdAt: createdAt(),
    revokedAt: timestamp("revoked_at", { withTimezone: true, mode: "date" }),
    // Written at most once a minute per key and process (lib/auth/api-keys.ts), not on every request.
    lastUsedAt: timestamp("last_used_at", { withTimezone: true, mode: "date" }),
  },
  (t) => [uniqueIndex("api_keys_hash_idx").on(t.keyHash), index("api_keys_company_idx").on(t.companyId)],
);

export const forms = pgTable(
  "forms",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    companyId: uuid("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    // Public: the form lives at /f/{slug}, so slugs are unique across companies.
    slug: text("slug").notNull().unique(),
    title: text("title").notNull(),
    intro: text("intro"),
    // Which fields show, their labels, which are required: lib/forms/schema.ts validates it.
    settings: jsonb("settings").notNull(),
    defaultSource: text("default_source"),
    defaultStage: text("default_stage"),
    defaultTags: text("default_tags")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    allowedOrigins: text("allowed_origins")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    thankYouMessage: text("thank_you_message"),
    redirectUrl: text("redirect_url"),
    // The visitor's automatic answer by email and/or SMS (lib/alerts/auto-reply.ts); null is none.
    autoReply: jsonb("auto_reply"),
    // Submissions refused as spam (answered as if accepted), so that staff can see what is stopped.
    spamCount: integer("spam_count").notNull().default(0),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    // Archived: the form's page and intake answer 410, and staff can restore it (lib/forms/manage.ts).
    archivedAt: timestamp("archived_at", { withTimezone: true, mode: "date" }),
  },
  (t) => [index("forms_company_idx").on(t.companyId)],
);

/**
 * How each form converts, per day (in the company's time zone) and per source (the host of the
 * page the form sat on, or "direct") and campaign (utm_campaign, "" when none): counters only,
 * nothing about the visitor (lib/forms/stats.ts).
 */
export const formStats = pgTable(
  "form_stats",
  {
    formId: uuid("form_id")
      .notNull()
      .references(() => forms.id, { onDelete: "cascade" }),
    day: date("day", { mode: "string" }).notNull(),
    source: text("source").notNull(),
    campaign: text("campaign").notNull(),
    views: integer("views").notNull().default(0),
    starts: integer("starts").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.formId, t.day, t.source, t.campaign] })],
);

export const WEBHOOK_FORMATS = ["json", "slack", "discord", "teams"] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

/** Where a company's lead events are posted, signed with the endpoint's secret (lib/webhooks). */
export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    companyId: uuid("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    url: text("url").notNull(),
    // Signs each delivery (HMAC-SHA256), so it is kept as is: the receiver holds the same secret.
    secret: text("secret").notNull(),
    active: boolean("active").notNull().default(true),
    // How a delivery is written: the signed JSON event, or a readable message for a chat app's
    // incoming webhook (lib/webhooks/chat.ts).
    format: text("format", { enum: WEBHOOK_FORMATS }).notNull().default("json"),
    // Deliveries that failed in a row; past a threshold the endpoint is paused (lib/outbox).
    failureStreak: integer("failure_streak").notNull().default(0),
    // While set and ahead, nothing is sent to the endpoint; the admin says so.
    pausedUntil: timestamp("paused_until", { withTimezone: true, mode: "date" }),
    createdAt: createdAt(),
  },
  (t) => [index("webhook_endpoints_company_idx").on(t.companyId)],
);

export const OUTBOX_KINDS = ["rotor", "webhook", "alert", "email", "sms", "push", "digest"] as const;
export const OUTBOX_STATUSES = ["pending", "delivered", "failed"] as const;

/**
 * Work that must reach another system and survive until it does (lib/outbox): a submission for
 * Rotor, a webhook delivery, a lead's alert (which becomes an email, SMS or push per person and
 * an auto-reply: lib/alerts), or a morning digest. Items of one `sequence` (a person, or an endpoint and a lead) are
 * delivered in order. Delivered items stay a while as the delivery log.
 */
export const outbox = pgTable(
  "outbox",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    companyId: uuid("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: OUTBOX_KINDS }).notNull(),
    sequence: text("sequence").notNull(),
    // A second key of the same sequence: a submission with a phone and an email waits for earlier
    // ones under either.
    altSequence: text("alt_sequence"),
    endpointId: uuid("endpoint_id").references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    event: text("event"),
    payload: jsonb("payload").notNull(),
    status: text("status", { enum: OUTBOX_STATUSES }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    // A worker holds an item until then; another may take it over once it has passed.
    lockedUntil: timestamp("locked_until", { withTimezone: true, mode: "date" }),
    lastError: text("last_error"),
    lastStatus: integer("last_status"),
    // The lead Rotor made or matched, once known.
    leadId: text("lead_id"),
    // The intake submission a Rotor item carries.
    submissionId: uuid("submission_id"),
    // One item per key while the log keeps it (30 days): an alert per submission, a message per
    // alert and person and channel, a digest per person and day. Queueing one twice is a no-op.
    dedupeKey: text("dedupe_key"),
    // The staff member a message goes to (the Deliveries page says whose alert failed).
    userId: uuid("user_id"),
    createdAt: createdAt(),
    deliveredAt: timestamp("delivered_at", { withTimezone: true, mode: "date" }),
  },
  (t) => [
    index("outbox_due_idx")
      .on(t.nextAttemptAt)
      .where(sql`status = 'pending'`),
    index("outbox_sequence_idx")
      .on(t.kind, t.sequence, t.id)
      .where(sql`status = 'pending'`),
    index("outbox_alt_sequence_idx")
      .on(t.kind, t.altSequence, t.id)
      .where(sql`status = 'pending' and alt_sequence is not null`),
    index("outbox_company_idx").on(t.companyId, t.id),
    uniqueIndex("outbox_dedupe_idx")
      .on(t.dedupeKey)
      .where(sql`dedupe_key is not null`),
    // The deliveries under way, counted against their company's and endpoint's caps on every claim
    // (lib/outbox/leases.ts): a few rows, however long the queue behind them.
    index("outbox_in_flight_idx")
      .on(t.companyId, t.endpointId)
      .where(sql`status = 'pending' and locked_until is not null`),
  ],
);

export const SUBMISSION_STATUSES = ["lead", "attached", "spam", "held", "invalid", "queued"] as const;
export type SubmissionStatus = (typeof SUBMISSION_STATUSES)[number];

/**
 * Every submission a form received, kept whole before anything else happens and never edited
 * (lib/forms/intake.ts): every field as sent, where it came from, and what became of it: a new
 * lead, attached to an existing one, spam (and why), held past the form's hourly budget, refused
 * by the form's rules, or waiting for Rotor. Spam and held ones wait in the admin's review.
 */
export const submissions = pgTable(
  "submissions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    companyId: uuid("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    // No foreign key here nor on lead_id: a check per submission on the intake's hot path, for
    // rows that are never removed under them (a lead goes only by erasure, which removes its
    // submissions first; a form's submissions outlive it and the review shows "a deleted form").
    formId: uuid("form_id"),
    receivedAt: timestamp("received_at", { withTimezone: true, mode: "date" }).notNull(),
    // Every field as sent, the form's own hidden ones (token, honeypot) left out.
    fields: jsonb("fields").notNull(),
    // A keyed hash of the client's address (lib/http/client-address.ts), never the address.
    clientHash: text("client_hash"),
    page: text("page"),
    referrer: text("referrer"),
    utmSource: text("utm_source"),
    utmMedium: text("utm_medium"),
    utmCampaign: text("utm_campaign"),
    utmTerm: text("utm_term"),
    utmContent: text("utm_content"),
    // Ad click ids (gclid, fbclid, msclkid...), by name.
    clickIds: jsonb("click_ids"),
    // The answers to the form's own questions (lib/forms/answers.ts), each with the label it was
    // asked under: [{key, label, value}]. Null when the form asked none.
    answers: jsonb("answers"),
    status: text("status", { enum: SUBMISSION_STATUSES }).notNull(),
    spamReason: text("spam_reason"),
    // The form's messages, for a submission its rules refused.
    errors: jsonb("errors"),
    leadId: uuid("lead_id"),
    // When staff took a spam or held submission in ("Not spam"), and who.
    reviewedAt: timestamp("reviewed_at", { withTimezone: true, mode: "date" }),
    reviewedBy: uuid("reviewed_by").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [
    index("submissions_lead_idx").on(t.leadId, t.receivedAt.desc()),
    // The review: a company's spam and held submissions, newest first (per form too).
    index("submissions_review_idx")
      .on(t.companyId, t.status, t.receivedAt.desc())
      .where(sql`status in ('spam', 'held')`),
    index("submissions_company_idx").on(t.companyId, t.receivedAt.desc()),
  ],
);

export const HISTORY_KINDS = [
  "submission",
  "api",
  "staff",
  "note",
  "proposal",
  "delivery",
  "contacted",
  "merge",
] as const;
export type HistoryKind = (typeof HISTORY_KINDS)[number];

/**
 * A lead's history, one row per thing that happened to it (lib/leads/history.ts): a submission, an
 * API write or a staff edit (with each changed field's value before and after), a note, a proposed
 * change accepted or dismissed, a delivery. Written in the same transaction as what it records.
 */
export const leadHistory = pgTable(
  "lead_history",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    // The lead's company, for the queries that must stay inside one; the lead's own foreign key
    // already removes the history with it, so this and submission_id carry none (a check each on
    // every write's hot path; a submission in a history is removed only with its lead).
    companyId: uuid("company_id").notNull(),
    leadId: uuid("lead_id")
      .notNull()
      .references(() => leads.id, { onDelete: "cascade" }),
    at: timestamp("at", { withTimezone: true, mode: "date" }).notNull(),
    kind: text("kind", { enum: HISTORY_KINDS }).notNull(),
    actorUserId: uuid("actor_user_id").references(() => users.id, { onDelete: "set null" }),
    actorKeyId: uuid("actor_key_id").references(() => apiKeys.id, { onDelete: "set null" }),
    // Who it was at the time (a user's name or email, a key's name), kept as it was.
    actorName: text("actor_name"),
    submissionId: uuid("submission_id"),
    // What happened: {created, changes: {field: [before, after]}, proposed, note, ...}.
    data: jsonb("data").notNull(),
  },
  (t) => [index("lead_history_lead_idx").on(t.leadId, t.id.desc())],
);

export const PROPOSAL_STATUSES = ["open", "accepted", "dismissed"] as const;

/**
 * A value a public submission gave that differs from what the lead holds: never written over it,
 * shown on the lead for staff to accept or dismiss.
 */
export const leadProposals = pgTable(
  "lead_proposals",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    companyId: uuid("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    leadId: uuid("lead_id")
      .notNull()
      .references(() => leads.id, { onDelete: "cascade" }),
    submissionId: uuid("submission_id").references(() => submissions.id, { onDelete: "cascade" }),
    // The column it would change, and the value it proposes (as the lead's JSON holds it).
    field: text("field").notNull(),
    value: jsonb("value"),
    status: text("status", { enum: PROPOSAL_STATUSES }).notNull().default("open"),
    at: timestamp("at", { withTimezone: true, mode: "date" }).notNull(),
    decidedBy: uuid("decided_by").references(() => users.id, { onDelete: "set null" }),
    decidedAt: timestamp("decided_at", { withTimezone: true, mode: "date" }),
  },
  (t) => [
    index("lead_proposals_open_idx")
      .on(t.leadId, t.id)
      .where(sql`status = 'open'`),
  ],
);

/**
 * What an erasure removed (lib/leads/person.ts), for the record: who asked and how many rows of
 * each kind went, never whose they were.
 */
export const erasures = pgTable(
  "erasures",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    companyId: uuid("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    at: timestamp("at", { withTimezone: true, mode: "date" }).notNull(),
    userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
    // {leads, submissions, history, proposals, outbox}: how many of each.
    counts: jsonb("counts").notNull(),
  },
  (t) => [index("erasures_company_idx").on(t.companyId, t.at)],
);

/** A staff member's device that takes web push alerts (lib/alerts/push.ts). */
export const pushSubscriptions = pgTable(
  "push_subscriptions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    companyId: uuid("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    endpoint: text("endpoint").notNull(),
    p256dh: text("p256dh").notNull(),
    auth: text("auth").notNull(),
    // What the device called itself when alerts were turned on ("Chrome on Android").
    label: text("label"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("push_subscriptions_endpoint_idx").on(t.endpoint),
    index("push_subscriptions_user_idx").on(t.userId),
  ],
);

/** Numbers that answered STOP to a text: nothing more is texted to them (lib/alerts/sms.ts). */
export const smsOptOuts = pgTable(
  "sms_opt_outs",
  {
    companyId: uuid("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    phone: text("phone").notNull(),
    at: timestamp("at", { withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [uniqueIndex("sms_opt_outs_phone_idx").on(t.companyId, t.phone)],
);

export const STAGE_KINDS = ["open", "won", "lost"] as const;
export type StageKind = (typeof STAGE_KINDS)[number];

/**
 * A company's pipeline (lib/leads/pipeline.ts): its stages in order, each open, won or lost. A
 * lead's stage is the stage's name (the API's free string): a trigger puts a lead without one in
 * the first open stage, spells a known one as the pipeline does, and adds an unknown one as open.
 * A retired stage keeps its row (its name may come back) but is offered nowhere.
 */
export const stages = pgTable(
  "stages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    companyId: uuid("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    kind: text("kind", { enum: STAGE_KINDS }).notNull().default("open"),
    position: integer("position").notNull(),
    retiredAt: timestamp("retired_at", { withTimezone: true, mode: "date" }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("stages_name_idx").on(t.companyId, sql`lower(${t.name})`)],
);

/** A list's query saved by one user under a name (lib/leads/views.ts). */
export const savedViews = pgTable(
  "saved_views",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    companyId: uuid("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    // The leads list's query string, its own keys only (components/leads/list-keys.ts).
    query: text("query").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("saved_views_name_idx").on(t.userId, sql`lower(${t.name})`)],
);

/** When a user last opened a lead: what is new or changed for them since (lib/leads/reads.ts). */
export const leadReads = pgTable(
  "lead_reads",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    leadId: uuid("lead_id")
      .notNull()
      .references(() => leads.id, { onDelete: "cascade" }),
    seenAt: timestamp("seen_at", { withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.leadId] })],
);

/**
 * Two leads merged into one (lib/leads/merge.ts): the merged lead leaves the leads table, its row
 * kept here whole, with what the merge moved and changed, so that it can be undone within a day.
 */
export const leadMerges = pgTable(
  "lead_merges",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    companyId: uuid("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    // The lead that stayed. No foreign key: it may itself be merged into another later, and this
    // record still says where the merged lead went (a chain); erasing a person erases the records
    // of every lead that joined theirs (lib/leads/person.ts).
    survivorId: uuid("survivor_id").notNull(),
    // No foreign key: this lead is no longer in the leads table (until an undo puts it back).
    mergedId: uuid("merged_id").notNull(),
    // The merged lead's row as it was, as JSON (column names).
    mergedRow: jsonb("merged_row").notNull(),
    // The survivor's fields the merge changed: {column: [before, after]}.
    changes: jsonb("changes").notNull(),
    // What moved to the survivor: {history: ids, submissions: ids, proposals: ids}.
    moved: jsonb("moved").notNull(),
    at: timestamp("at", { withTimezone: true, mode: "date" }).notNull(),
    byUserId: uuid("by_user_id").references(() => users.id, { onDelete: "set null" }),
    undoneAt: timestamp("undone_at", { withTimezone: true, mode: "date" }),
  },
  (t) => [
    index("lead_merges_merged_idx").on(t.companyId, t.mergedId),
    index("lead_merges_survivor_idx").on(t.survivorId),
  ],
);

/** Two leads staff said are not the same person: never suggested as duplicates again. */
export const duplicateDismissals = pgTable(
  "duplicate_dismissals",
  {
    // The smaller id first.
    leadA: uuid("lead_a")
      .notNull()
      .references(() => leads.id, { onDelete: "cascade" }),
    leadB: uuid("lead_b")
      .notNull()
      .references(() => leads.id, { onDelete: "cascade" }),
    companyId: uuid("company_id").notNull(),
    at: timestamp("at", { withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.leadA, t.leadB] })],
);

/** Where a photo's bytes are (lib/photos/storage.ts). */
export const PHOTO_STORAGES = ["blob", "db", "file"] as const;
export type PhotoStorage = (typeof PHOTO_STORAGES)[number];

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => "bytea" });

/**
 * A photo a visitor attached to a form (lib/photos), its location data removed. Keyed by its
 * submission, so it follows the submission to whichever lead it belongs to (a merge moves
 * submissions). No foreign key to the submission: the photo is written first, in the same request,
 * before the submission is kept.
 */
export const photos = pgTable(
  "photos",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    companyId: uuid("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    submissionId: uuid("submission_id").notNull(),
    // Its place among the submission's photos, as the visitor picked them.
    position: integer("position").notNull(),
    // The file's name as the visitor's device gave it, for the staff's alt text.
    name: text("name").notNull(),
    contentType: text("content_type").notNull(),
    size: integer("size").notNull(),
    width: integer("width"),
    height: integer("height"),
    storage: text("storage", { enum: PHOTO_STORAGES }).notNull(),
    // The blob's URL, or the file's path under DATA_DIR; null when the bytes are in data.
    location: text("location"),
    data: bytea("data"),
    createdAt: createdAt(),
  },
  (t) => [index("photos_submission_idx").on(t.submissionId)],
);

export type PhotoRow = typeof photos.$inferSelect;

export type SavedViewRow = typeof savedViews.$inferSelect;
export type LeadMergeRow = typeof leadMerges.$inferSelect;
export type StageRow = typeof stages.$inferSelect;
export type Company = typeof companies.$inferSelect;
export type FormRow = typeof forms.$inferSelect;
export type LeadRow = typeof leads.$inferSelect;
export type UserRow = typeof users.$inferSelect;
export type ApiKeyRow = typeof apiKeys.$inferSelect;
export type WebhookEndpointRow = typeof webhookEndpoints.$inferSelect;
export type OutboxRow = typeof outbox.$inferSelect;
export type NewLeadRow = typeof leads.$inferInsert;
export type SubmissionRow = typeof submissions.$inferSelect;
export type LeadHistoryRow = typeof leadHistory.$inferSelect;
export type LeadProposalRow = typeof leadProposals.$inferSelect;
export type PushSubscriptionRow = typeof pushSubscriptions.$inferSelect;
