import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import { globalAgent } from "node:https";
import type { AddressInfo } from "node:net";
import { and, eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import * as alertsRoute from "@/app/api/admin/account/alerts/route";
import * as pushRoute from "@/app/api/admin/account/push/route";
import * as inboundRoute from "@/app/api/sms/inbound/route";
import * as contactedRoute from "@/app/api/admin/leads/[id]/contacted/route";
import * as notesRoute from "@/app/api/admin/leads/[id]/notes/route";
import * as leadRoute from "@/app/api/admin/leads/[id]/route";
import * as formRoute from "@/app/api/admin/forms/[slug]/route";
import * as settingsRoute from "@/app/api/admin/settings/route";
import { devMailbox, devMailboxOn } from "@/lib/alerts/dev-mail";
import { DEFAULT_PREFERENCES } from "@/lib/alerts/preferences";
import { userSubscriptions, vapidKeys } from "@/lib/alerts/push";
import { setClock } from "@/lib/clock";
import { getDb } from "@/lib/db/client";
import { leadHistory, leads, outbox, smsOptOuts } from "@/lib/db/schema";
import { CONTACT_FORM } from "@/lib/forms/schema";
import { createForm } from "@/lib/forms/repository";
import { dueFollowUps, responseStats } from "@/lib/leads/response";
import { outboxIdle } from "@/lib/outbox/kick";
import { drainOutbox } from "@/lib/outbox/worker";
import { listOutbox } from "@/lib/outbox/log";
import { newTenant } from "../support/fixtures";
import { submitJson, tenantWithForm } from "../support/forms";
import { changeSettings } from "../support/settings";
import { type PushService, startPushService, verifyVapid } from "../support/push-service";
import { startSmtp, type SmtpStandIn } from "../support/smtp";
import { signTwilioRequest, startTwilio, type TwilioStandIn } from "../support/twilio";
import { call, json, newUser, sessionCookie } from "../support/staff";
import { waitFor } from "../support/wait-for";

const PORTAL = "http://127.0.0.1:3000";
const PUBLIC_URL = "https://leads.example.com";

const post = submitJson;

/** A company with a profile, its contact form, an admin (with a session) and a member. */
async function setUp() {
  const tenant = await tenantWithForm();
  const { company, cookie } = tenant;
  const member = await newUser(company.id, "member");
  const saved = await call(settingsRoute, "/api/admin/settings", {
    method: "PATCH",
    cookie,
    body: {
      name: "Clearview Windows",
      phone: "(612) 555-0100",
      replyTo: "office@clearview.example",
      timeZone: "America/Chicago",
      businessHours: [
        { open: "08:00", close: "18:00" },
        { open: "08:00", close: "18:00" },
        { open: "08:00", close: "18:00" },
        { open: "08:00", close: "18:00" },
        { open: "08:00", close: "18:00" },
        null,
        null,
      ],
    },
  });
  expect(saved.status).toBe(200);
  return { ...tenant, member };
}

async function itemsOf(companyId: string, kind: "alert" | "email" | "sms" | "push" | "digest") {
  const db = await getDb();
  return db
    .select()
    .from(outbox)
    .where(and(eq(outbox.companyId, companyId), eq(outbox.kind, kind)))
    .orderBy(outbox.id);
}

/** Until everything due has gone out: an alert's messages are queued by its own delivery. */
async function settle() {
  await outboxIdle();
  await drainOutbox();
}

describe("alerts by email through a real SMTP server", () => {
  let smtp: SmtpStandIn;
  let restore: () => void;
  beforeAll(async () => {
    smtp = await startSmtp({ user: "portal", pass: "s3cret" });
    restore = changeSettings({
      SMTP_URL: smtp.url,
      MAIL_FROM: "Lead alerts <alerts@clearview.example>",
      PUBLIC_URL,
      OUTBOX_BACKOFF_SECONDS: "0.005",
    });
  });
  afterAll(async () => {
    restore();
    await smtp.close();
  });
  afterEach(() => setClock(null));

  it("a new lead reaches the admins within the request's own delivery, with the facts and two links", async () => {
    const { slug, admin, member, company } = await setUp();
    const response = await post(slug, {
      name: "Dana Whitfield",
      phone: "(612) 555-0142",
      email: "dana@example.com",
      address_city: "Minneapolis",
      address_street1: "12 Elm St",
      service_type: "Window cleaning",
      notes: "Two storeys, about 20 windows",
    });
    expect(response.status).toBe(201);
    const mail = await smtp.waitForMail((m) => m.to.includes(admin.email));
    const [lead] = await (await getDb()).select().from(leads).where(eq(leads.companyId, company.id));
    expect(mail.subject).toBe("New lead: Dana Whitfield — Window cleaning");
    expect(mail.from).toContain("alerts@clearview.example");
    expect(mail.envelopeFrom).toBe("alerts@clearview.example");
    expect(mail.text).toContain("Window cleaning · Minneapolis");
    expect(mail.text).toContain("“Two storeys, about 20 windows”");
    expect(mail.text).toContain("Call: (612) 555-0142 (tel:+16125550142)");
    expect(mail.text).toContain(`Open the lead: ${PUBLIC_URL}/admin/leads/${lead!.id}`);
    expect(mail.html).toContain('href="tel:+16125550142"');
    expect(mail.html).toContain(`href="${PUBLIC_URL}/admin/leads/${lead!.id}"`);
    // Only what an alert may carry: not the street, not the email address.
    expect(mail.text).not.toContain("12 Elm St");
    expect(mail.text).not.toContain("dana@example.com");
    // A member hears only of leads assigned to them.
    await settle();
    expect(smtp.mails.filter((m) => m.to.includes(member.email))).toEqual([]);
  });

  it("a known person's new submission alerts too, and the assignee hears of it", async () => {
    const { slug, admin, member, company } = await setUp();
    await post(slug, { name: "Sam Ortiz", phone: "(612) 555-0150", service_type: "Gutters" });
    await settle();
    const db = await getDb();
    await db.update(leads).set({ assignedTo: member.id }).where(eq(leads.companyId, company.id));
    await post(slug, { name: "Sam Ortiz", phone: "612-555-0150", notes: "Also the skylight please" });
    const toMember = await smtp.waitForMail((m) => m.to.includes(member.email));
    expect(toMember.subject).toBe("Sam Ortiz sent another request — Gutters");
    expect(toMember.text).toContain("“Also the skylight please”");
    await smtp.waitForMail((m) => m.to.includes(admin.email) && m.subject.includes("another request"));
  });

  it("each alert goes once per person however often its item is handled", async () => {
    const { slug, admin, company } = await setUp();
    await post(slug, { name: "Once Only", email: "once@example.com" });
    await settle();
    const [alert] = await itemsOf(company.id, "alert");
    expect(alert!.status).toBe("delivered");
    // As if a worker died after queueing the messages and another took the alert over.
    const db = await getDb();
    await db
      .update(outbox)
      .set({ status: "pending", nextAttemptAt: new Date(0) })
      .where(eq(outbox.id, alert!.id));
    await drainOutbox();
    await settle();
    const emails = await itemsOf(company.id, "email");
    expect(emails.map((e) => e.status)).toEqual(["delivered"]);
    expect(smtp.mails.filter((m) => m.to.includes(admin.email))).toHaveLength(1);
  });

  it("a mail server that refuses for now is tried again; one that refuses for good is shown as failed, and the lead is kept either way", async () => {
    const { slug, admin, company } = await setUp();
    smtp.refuse(421, 2);
    const first = await post(slug, { name: "Retry Rita", phone: "(612) 555-0160" });
    expect(first.status).toBe(201);
    // What a long-running server's timer does: deliver what is due again.
    await waitFor(
      "the alert after two refusals",
      async () => {
        await settle();
        return smtp.mails.some((m) => m.to.includes(admin.email) && m.subject.includes("Retry Rita"));
      },
      15_000,
    );
    const [retried] = await itemsOf(company.id, "email");
    expect(retried!.attempts).toBe(3);

    smtp.refuse(550, 1);
    const second = await post(slug, { name: "Never Nate", phone: "(612) 555-0161" });
    expect(second.status).toBe(201);
    await settle();
    const failed = (await itemsOf(company.id, "email")).find((e) => e.status === "failed")!;
    expect(failed.lastStatus).toBe(550);
    const log = await listOutbox(company.id, { status: "failed", page: 1 });
    expect(log.entries.map((e) => [e.kind, e.target, e.lastError])).toEqual([
      ["email", `Alert to ${admin.email}`, "The mail server refused it (550)"],
    ]);
    const db = await getDb();
    const kept = await db.select().from(leads).where(eq(leads.companyId, company.id));
    expect(kept.map((l) => l.name).sort()).toEqual(["Never Nate", "Retry Rita"]);
  });

  it("each user chooses: no email, only some forms, or quiet hours with a morning digest instead", async () => {
    const { slug, form, admin, company, cookie } = await setUp();
    const other = await createForm(company.id, {
      ...CONTACT_FORM,
      slug: `${slug}-b`,
      settings: { ...CONTACT_FORM.settings, consent: null },
    });
    const choose = (prefs: Record<string, unknown>) =>
      call(alertsRoute, "/api/admin/account/alerts", {
        method: "PUT",
        cookie,
        body: { ...DEFAULT_PREFERENCES, ...prefs },
      });
    expect((await choose({ forms: [form.id] })).status).toBe(200);
    await post(other.slug, { name: "Other Form", phone: "(612) 555-0170" });
    await post(slug, { name: "This Form", phone: "(612) 555-0171" });
    await settle();
    const subjects = smtp.mails.filter((m) => m.to.includes(admin.email)).map((m) => m.subject);
    expect(subjects).toEqual(["New lead: This Form"]);

    const refused = await choose({ sms: true, smsPhone: null, quiet: { from: "25:00", to: "07:00" } });
    expect(refused.status).toBe(400);
    const body = await json<{ errors: { field: string }[] }>(refused);
    expect(body.errors.map((e) => e.field).sort()).toEqual(["quiet", "smsPhone"]);

    // 23:30 in Chicago, inside 21:00–07:00.
    setClock(() => new Date("2026-12-08T05:30:00Z"));
    expect((await choose({ forms: null, quiet: { from: "21:00", to: "07:00" } })).status).toBe(200);
    await post(slug, { name: "Night Owl", phone: "(612) 555-0172", service_type: "Skylights" });
    await settle();
    expect(smtp.mails.filter((m) => m.subject.includes("Night Owl"))).toEqual([]);
    const [digest] = await itemsOf(company.id, "digest");
    expect(digest!.nextAttemptAt.toISOString()).toBe("2026-12-08T13:00:00.000Z");
    const db = await getDb();
    await db
      .update(leads)
      .set({ followUpDate: new Date("2026-12-07T15:00:00Z") })
      .where(and(eq(leads.companyId, company.id), eq(leads.name, "This Form")));

    setClock(() => new Date("2026-12-08T13:00:01Z"));
    await drainOutbox();
    const morning = await smtp.waitForMail(
      (m) => m.to.includes(admin.email) && m.subject.startsWith("Clearview Windows:"),
    );
    expect(morning.subject).toBe("Clearview Windows: 3 waiting, 1 follow-ups due");
    expect(morning.text).toContain("Night Owl · Skylights · (612) 555-0172");
    expect(morning.text).toMatch(/Follow-ups due \(1\)\n- This Form/);
  });

  it("Mark contacted records the first response once; the dashboard's figures and waiting list follow", async () => {
    const { slug, company, cookie, admin } = await setUp();
    const start = new Date("2026-12-09T15:00:00Z");
    setClock(() => start);
    await post(slug, { name: "Quick Answer", phone: "(612) 555-0180" });
    await post(slug, { name: "Slow Answer", phone: "(612) 555-0181" });
    await post(slug, { name: "No Answer", phone: "(612) 555-0182" });
    await settle();
    const db = await getDb();
    const byName = Object.fromEntries(
      (await db.select().from(leads).where(eq(leads.companyId, company.id))).map((l) => [l.name, l]),
    );
    const contact = (id: string) =>
      call(contactedRoute, `/api/admin/leads/${id}/contacted`, { method: "POST", cookie, params: { id } });
    setClock(() => new Date(start.getTime() + 4 * 60_000));
    expect((await contact(byName["Quick Answer"]!.id)).status).toBe(200);
    setClock(() => new Date(start.getTime() + 40 * 60_000));
    expect((await contact(byName["Slow Answer"]!.id)).status).toBe(200);
    // Again later: still the first response.
    setClock(() => new Date(start.getTime() + 90 * 60_000));
    const again = await contact(byName["Quick Answer"]!.id);
    expect((await json<{ data: { first_response_at: string } }>(again)).data.first_response_at).toBe(
      new Date(start.getTime() + 4 * 60_000).toISOString(),
    );
    const stats = await responseStats({ companyId: company.id }, "America/Chicago");
    expect(stats.thisWeek).toEqual({ answered: 2, medianMinutes: 22, p90Minutes: 36.4 });
    expect(stats.lastWeek).toEqual({ answered: 0, medianMinutes: null, p90Minutes: null });
    expect(stats.waiting.map((l) => l.name)).toEqual(["No Answer"]);
    expect(stats.waitingCount).toBe(1);
    const [quick] = await db.select().from(leads).where(eq(leads.id, byName["Quick Answer"]!.id));
    expect(quick!.firstResponseBy).toBe(admin.id);
    const marks = await db
      .select()
      .from(leadHistory)
      .where(and(eq(leadHistory.leadId, quick!.id), eq(leadHistory.kind, "contacted")))
      .orderBy(leadHistory.id);
    expect(marks.map((m) => [m.actorUserId, m.data])).toEqual([
      [admin.id, { first: true }],
      [admin.id, { first: false }],
    ]);
    // A note answers a lead nobody had answered; a stage change by staff too (lead_upsert).
    const noted = byName["No Answer"]!.id;
    expect(
      (
        await call(notesRoute, `/api/admin/leads/${noted}/notes`, {
          method: "POST",
          cookie,
          params: { id: noted },
          body: { note: "Left a voicemail" },
        })
      ).status,
    ).toBe(201);
    const [afterNote] = await db.select().from(leads).where(eq(leads.id, noted));
    expect(afterNote!.firstResponseAt).toEqual(new Date(start.getTime() + 90 * 60_000));
    await post(slug, { name: "Staged", phone: "(612) 555-0183" });
    const [staged] = await db
      .select()
      .from(leads)
      .where(and(eq(leads.companyId, company.id), eq(leads.name, "Staged")));
    setClock(() => new Date(start.getTime() + 100 * 60_000));
    const moved = await call(leadRoute, `/api/admin/leads/${staged!.id}`, {
      method: "PATCH",
      cookie,
      params: { id: staged!.id },
      body: { stage: "Contacted" },
    });
    expect(moved.status).toBe(200);
    const [afterStage] = await db.select().from(leads).where(eq(leads.id, staged!.id));
    expect([afterStage!.firstResponseAt, afterStage!.firstResponseBy]).toEqual([
      new Date(start.getTime() + 100 * 60_000),
      admin.id,
    ]);
    // Another company's lead is as absent as a missing one.
    const stranger = await newTenant();
    const outsider = await newUser(stranger.company.id, "admin");
    const refused = await call(contactedRoute, `/api/admin/leads/${byName["No Answer"]!.id}/contacted`, {
      method: "POST",
      cookie: await sessionCookie(outsider),
      params: { id: byName["No Answer"]!.id },
    });
    expect(refused.status).toBe(404);
  });

  it("the Due view lists open follow-ups dated today (the business's day) or before, most overdue first", async () => {
    const { slug, company, member } = await setUp();
    // Tuesday 20:00 in Chicago: already Wednesday in UTC.
    setClock(() => new Date("2026-12-09T02:00:00Z"));
    const people = ["Overdue", "Today Late", "Tomorrow", "Archived Due", "Not Mine"];
    for (const [i, name] of people.entries()) await post(slug, { name, phone: `(612) 555-012${i}` });
    const db = await getDb();
    const set = (name: string, changes: Partial<typeof leads.$inferInsert>) =>
      db
        .update(leads)
        .set(changes)
        .where(and(eq(leads.companyId, company.id), eq(leads.name, name)));
    await set("Overdue", { followUpDate: new Date("2026-12-01T00:00:00Z"), assignedTo: member.id });
    await set("Today Late", { followUpDate: new Date("2026-12-09T05:00:00Z"), assignedTo: member.id });
    await set("Tomorrow", { followUpDate: new Date("2026-12-09T06:30:00Z"), assignedTo: member.id });
    await set("Archived Due", {
      followUpDate: new Date("2026-12-02T00:00:00Z"),
      archived: true,
      assignedTo: member.id,
    });
    await set("Not Mine", { followUpDate: new Date("2026-12-03T00:00:00Z") });
    const names = async (memberId?: string) =>
      (await dueFollowUps({ companyId: company.id, memberId }, "America/Chicago")).map((l) => l.name);
    expect(await names()).toEqual(["Overdue", "Not Mine", "Today Late"]);
    expect(await names(member.id)).toEqual(["Overdue", "Today Late"]);
  });

  it("a form's auto-reply answers the visitor once, with the business's hours, and says when they will hear back", async () => {
    const { slug, company, cookie } = await setUp();
    const saved = await call(formRoute, `/api/admin/forms/${slug}`, {
      method: "PATCH",
      cookie,
      params: { slug },
      body: {
        auto_reply: {
          email: true,
          sms: false,
          template: "We got your request, {first_name}. {reply} {call}",
        },
      },
    });
    expect(saved.status).toBe(200);
    // Tuesday 10:00 in Chicago: open.
    setClock(() => new Date("2026-12-08T16:00:00Z"));
    await post(slug, { name: "Dana Whitfield", email: "dana@example.com" });
    const open = await smtp.waitForMail((m) => m.to.includes("dana@example.com"));
    expect(open.subject).toBe("We got your request — Clearview Windows");
    expect(open.from).toContain('"Clearview Windows" <alerts@clearview.example>');
    expect(open.replyTo).toContain("office@clearview.example");
    expect(open.text).toContain(
      "We got your request, Dana. We reply within 2 hours during business hours: Mon–Fri 8–6. Call (612) 555-0100 if it is urgent.",
    );
    // Saturday 20:00: closed until Monday.
    setClock(() => new Date("2026-12-13T02:00:00Z"));
    await post(slug, { name: "Lee Park", email: "lee@example.com" });
    const closed = await smtp.waitForMail((m) => m.to.includes("lee@example.com"));
    expect(closed.text).toContain(
      "We got your request, Lee. We're closed right now and will get back to you Monday at 8 am (hours: Mon–Fri 8–6).",
    );
    await settle();
    const replies = (await itemsOf(company.id, "email")).filter(
      (e) => (e.payload as { purpose: string }).purpose === "reply",
    );
    expect(replies).toHaveLength(2);
  });
});

describe("alerts through Resend's API", () => {
  const requests: {
    headers: Record<string, string | string[] | undefined>;
    body: Record<string, unknown>;
  }[] = [];
  let server: Server;
  let restore: () => void;
  let status = 200;
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        if (req.url === "/emails" && req.method === "POST") {
          requests.push({ headers: req.headers, body: JSON.parse(body) as Record<string, unknown> });
        }
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(status === 200 ? { id: randomUUID() } : { name: "rate_limit_exceeded" }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    restore = changeSettings({
      RESEND_API_KEY: "re_test_key",
      RESEND_API_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      MAIL_FROM: "alerts@clearview.example",
      PUBLIC_URL,
      OUTBOX_BACKOFF_SECONDS: "0.005",
    });
  });
  afterAll(async () => {
    restore();
    await new Promise((resolve) => server.close(resolve));
  });

  it("posts the alert with the key, and the same idempotency key on a retry", async () => {
    const { slug, admin } = await setUp();
    status = 429;
    await post(slug, { name: "Resend Rae", phone: "(612) 555-0190", service_type: "Roof repair" });
    await outboxIdle();
    status = 200;
    await waitFor("the alert through Resend", async () => {
      await settle();
      return requests.some(
        (r) =>
          (r.body.to as string[]).includes(admin.email) &&
          r.body.subject === "New lead: Resend Rae — Roof repair",
      );
    });
    const mine = requests.filter((r) => (r.body.to as string[]).includes(admin.email));
    expect(mine.length).toBeGreaterThanOrEqual(2);
    expect(mine.every((r) => r.headers.authorization === "Bearer re_test_key")).toBe(true);
    expect(new Set(mine.map((r) => r.headers["idempotency-key"])).size).toBe(1);
    expect(mine.at(-1)!.body).toMatchObject({ from: "alerts@clearview.example" });
    expect(mine.at(-1)!.body.text).toContain(`${PUBLIC_URL}/admin/leads/`);
  });
});

describe("texts through Twilio, and STOP", () => {
  const account = {
    accountSid: "AC0123456789abcdef0123456789abcdef",
    authToken: "twilio-auth-token-for-tests",
  };
  let twilio: TwilioStandIn;
  let restore: () => void;
  beforeAll(async () => {
    twilio = await startTwilio(account);
    restore = changeSettings({
      TWILIO_ACCOUNT_SID: account.accountSid,
      TWILIO_AUTH_TOKEN: account.authToken,
      TWILIO_FROM: "+16125550100",
      TWILIO_API_URL: twilio.origin,
      PUBLIC_URL,
      OUTBOX_BACKOFF_SECONDS: "0.005",
    });
  });
  afterAll(async () => {
    restore();
    await twilio.close();
  });

  function inbound(params: Record<string, string>, signature: string) {
    return inboundRoute.POST(
      new Request(`${PORTAL}/api/sms/inbound`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signature },
        body: new URLSearchParams(params),
      }),
    );
  }

  it("texts staff who asked for it, answers a consenting visitor, retries Twilio's 500, and honours STOP", async () => {
    const { slug, cookie } = await setUp();
    const chose = await call(alertsRoute, "/api/admin/account/alerts", {
      method: "PUT",
      cookie,
      body: { ...DEFAULT_PREFERENCES, email: false, sms: true, smsPhone: "(612) 555-0199" },
    });
    expect(chose.status).toBe(200);
    const form = await call(formRoute, `/api/admin/forms/${slug}`, {
      method: "PATCH",
      cookie,
      params: { slug },
      body: {
        settings: {
          ...CONTACT_FORM.settings,
          consent: { text: "You may text me about my request", required: false },
        },
        auto_reply: {
          email: false,
          sms: true,
          template: "Thanks {first_name}, {business} got your request.",
        },
      },
    });
    expect(form.status).toBe(200);

    twilio.failNext(500, 1);
    await post(slug, {
      name: "Casey Jones",
      phone: "(612) 555-0140",
      consent: "on",
      service_type: "Gutters",
    });
    await waitFor("the staff text and the reply", async () => {
      await settle();
      return twilio.messages.length >= 2;
    });
    const toStaff = twilio.messages.find((m) => m.to === "+16125550199")!;
    expect(toStaff.from).toBe("+16125550100");
    expect(toStaff.body).toMatch(
      /^New lead: Casey Jones, Gutters\. Call \(612\) 555-0140\. https:\/\/leads\.example\.com\/admin\/leads\/[0-9a-f-]{36}$/,
    );
    const reply = twilio.messages.find((m) => m.to === "+16125550140")!;
    expect(reply.body).toBe(
      "Clearview Windows: Thanks Casey, Clearview Windows got your request. Reply STOP to opt out.",
    );

    // Without consent, no text to the visitor.
    await post(slug, { name: "No Consent", phone: "(612) 555-0141" });
    await settle();
    expect(twilio.messages.filter((m) => m.to === "+16125550141")).toEqual([]);

    // STOP, signed as Twilio signs; a forged one is refused.
    const params = { From: "+16125550140", To: "+16125550100", Body: "STOP", MessageSid: "SM1" };
    const url = `${PORTAL}/api/sms/inbound`;
    expect((await inbound(params, "forged")).status).toBe(403);
    const stopped = await inbound(params, signTwilioRequest(account.authToken, url, params));
    expect(stopped.status).toBe(200);
    expect(await stopped.text()).toContain("<Response></Response>");
    const before = twilio.messages.length;
    await post(slug, { name: "Casey Jones", phone: "(612) 555-0140", consent: "on", notes: "Any news?" });
    await waitFor("the staff text of the second request", async () => {
      await settle();
      return twilio.messages.length > before;
    });
    await settle();
    expect(twilio.messages.slice(before).map((m) => m.to)).toEqual(["+16125550199"]);
  });

  it("a stranger cannot make the form text anyone: the portal's own country only, three a day per number, and a name that is a name", async () => {
    const { slug, cookie } = await setUp();
    await call(formRoute, `/api/admin/forms/${slug}`, {
      method: "PATCH",
      cookie,
      params: { slug },
      body: { auto_reply: { email: false, sms: true, template: "Hi {first_name}." } },
    });
    await call(alertsRoute, "/api/admin/account/alerts", {
      method: "PUT",
      cookie,
      body: { ...DEFAULT_PREFERENCES, scope: "none" },
    });
    const before = twilio.messages.length;
    await post(slug, { name: "Abroad", phone: "+44 20 7946 0958" });
    await post(slug, { name: "https://evil.example/login now", phone: "(612) 555-0145" });
    for (let i = 0; i < 3; i++) await post(slug, { name: `Zoë-Anne ${i}`, phone: "(612) 555-0145" });
    await waitFor("the texts", async () => {
      await settle();
      return twilio.messages.length >= before + 3;
    });
    await settle();
    // Sent side by side, so in any order.
    expect(
      twilio.messages
        .slice(before)
        .map((m) => `${m.to} ${m.body}`)
        .sort(),
    ).toEqual([
      "+16125550145 Clearview Windows: Hi Zoë-Anne. Reply STOP to opt out.",
      "+16125550145 Clearview Windows: Hi Zoë-Anne. Reply STOP to opt out.",
      "+16125550145 Clearview Windows: Hi there. Reply STOP to opt out.",
    ]);
  });

  it("a number Twilio says has opted out is marked, and the text is given up, not retried", async () => {
    const { slug, cookie, company } = await setUp();
    await call(formRoute, `/api/admin/forms/${slug}`, {
      method: "PATCH",
      cookie,
      params: { slug },
      body: { auto_reply: { email: false, sms: true, template: "Thanks {first_name}." } },
    });
    await call(alertsRoute, "/api/admin/account/alerts", {
      method: "PUT",
      cookie,
      body: { ...DEFAULT_PREFERENCES, scope: "none" },
    });
    twilio.failNext(400, 1);
    await post(slug, { name: "Opted Out", phone: "(612) 555-0143" });
    await settle();
    const [text] = await itemsOf(company.id, "sms");
    expect(text).toMatchObject({ status: "failed", lastStatus: 400, attempts: 1 });
    expect(text!.lastError).toBe("The number has opted out of texts (STOP)");
    const db = await getDb();
    const marked = await db.select().from(smsOptOuts).where(eq(smsOptOuts.companyId, company.id));
    expect(marked.map((m) => m.phone)).toEqual(["+16125550143"]);
  });
});

describe("web push to staff devices", () => {
  let push: PushService;
  let restore: () => void;
  beforeAll(async () => {
    push = await startPushService();
    // The stand-in's certificate is this test's own: the process trusts it as it would a real CA.
    globalAgent.options.ca = push.ca;
    restore = changeSettings({ PUBLIC_URL, OUTBOX_BACKOFF_SECONDS: "0.005" });
  });
  afterAll(async () => {
    restore();
    delete globalAgent.options.ca;
    await push.close();
  });

  it("a device turned on gets the alert, encrypted for it and signed with the portal's VAPID key; a gone device is removed", async () => {
    const { slug, cookie, admin, company } = await setUp();
    const device = push.subscription();
    const refused = await call(pushRoute, "/api/admin/account/push", {
      method: "POST",
      cookie,
      body: { endpoint: "http://push.example.com/x", keys: device.keys },
    });
    expect(refused.status).toBe(400);
    const on = await call(pushRoute, "/api/admin/account/push", {
      method: "POST",
      cookie,
      body: { endpoint: device.endpoint, keys: device.keys, label: "Chrome on Android" },
    });
    expect(on.status).toBe(201);

    await post(slug, {
      name: "Pat Lee",
      phone: "(612) 555-0130",
      email: "pat@example.com",
      service_type: "Pressure washing",
      address_city: "St Paul",
      notes: "Driveway and deck",
    });
    await waitFor("the push", async () => {
      await settle();
      return push.received.length > 0;
    });
    const [request] = push.received;
    const payload = JSON.parse(device.decrypt(request!.body)) as Record<string, string>;
    const [lead] = await (await getDb()).select().from(leads).where(eq(leads.companyId, company.id));
    expect(payload).toEqual({
      title: "New lead: Pat Lee",
      body: "Pressure washing · St Paul — Driveway and deck",
      url: `${PUBLIC_URL}/admin/leads/${lead!.id}`,
      tag: `lead-${lead!.id}`,
      call: "tel:+16125550130",
    });
    expect(JSON.stringify(payload)).not.toContain("pat@example.com");
    const vapid = verifyVapid(request!.headers, device.endpoint);
    expect(vapid.publicKey).toBe((await vapidKeys()).publicKey);
    expect(request!.headers.urgency).toBe("high");

    // The service says the subscription is gone: it is dropped, not retried.
    push.answer(device.endpoint, 410);
    await post(slug, { name: "Pat Lee", phone: "(612) 555-0130", notes: "Also the fence" });
    await settle();
    const pushes = await itemsOf(company.id, "push");
    expect(pushes.map((p) => p.status)).toEqual(["delivered", "failed"]);
    expect(pushes[1]!.lastStatus).toBe(410);
    expect(await userSubscriptions(admin.id)).toEqual([]);
  });
});

describe("email on a developer's machine, with no SMTP server or Resend key", () => {
  it("each email is printed in the terminal and kept for the admin's Mail page, which exists only there", async () => {
    expect(devMailboxOn()).toBe(false);
    const restore = changeSettings({ NODE_ENV: "development", PUBLIC_URL });
    const printed: string[] = [];
    const spy = vi
      .spyOn(console, "info")
      .mockImplementation((text: unknown) => void printed.push(String(text)));
    try {
      expect(devMailboxOn()).toBe(true);
      const { slug, admin, company } = await setUp();
      await post(slug, { name: "Dev Dana", phone: "(612) 555-0110", service_type: "Windows" });
      await settle();
      const [mail] = await devMailbox(company.id);
      expect(mail).toMatchObject({ status: "delivered", purpose: "alert" });
      expect(mail!.message).toMatchObject({ to: admin.email, subject: "New lead: Dev Dana — Windows" });
      expect(printed.join("\n")).toContain(
        `[mail] To: ${admin.email}\n[mail] Subject: New lead: Dev Dana — Windows`,
      );
    } finally {
      spy.mockRestore();
      restore();
    }
  });
});
