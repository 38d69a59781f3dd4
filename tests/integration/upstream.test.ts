import { randomUUID } from "node:crypto";
import { and, desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as adminLeadsRoute from "@/app/api/admin/leads/route";
import * as adminLeadRoute from "@/app/api/admin/leads/[id]/route";
import * as bulkRoute from "@/app/api/admin/leads/bulk/route";
import * as replayRoute from "@/app/api/admin/outbox/[id]/replay/route";
import * as intake from "@/app/api/intake/[slug]/route";
import { getDb } from "@/lib/db/client";
import { outbox, submissions as submissionRows } from "@/lib/db/schema";
import { createForm } from "@/lib/forms/repository";
import { outboxIdle } from "@/lib/outbox/kick";
import { drainOutbox } from "@/lib/outbox/worker";
import { rotorUsage } from "@/lib/rotor/upstream";
import { createEndpoint, deleteEndpoint, payloadLead } from "@/lib/webhooks";
import * as cronRoute from "@/app/api/cron/outbox/route";
import { newTenant } from "../support/fixtures";
import { type Fault, startRotorStandIn } from "../support/rotor-standin";
import { changeSettings } from "../support/settings";
import { startSmtp } from "../support/smtp";
import { type AppProcess, apiKeyFor, spawnApp } from "../support/spawn-app";
import { call, json, newUser, sessionCookie } from "../support/staff";
import { embeddedDataDir } from "../support/stores";
import { waitFor } from "../support/wait-for";

/**
 * The portal in upstream mode, in this process, in front of a "Rotor" that is this project's own
 * /open-api in a second app process with a database of its own, behind a stand-in that injects
 * faults and counts every request.
 */
describe("upstream mode: the portal in front of a Rotor account", () => {
  const dataDir = embeddedDataDir();
  const rotorEnv = { ...process.env, DATA_DIR: dataDir, NODE_ENV: "test" as const };
  let rotorApp: AppProcess;
  let standIn: Awaited<ReturnType<typeof startRotorStandIn>>;
  let rotorKey: string;

  let restoreSettings: (() => void) | undefined;
  const UPSTREAM_COMPANY = `up-${Date.now().toString(36)}`;
  const CRON = "a cron secret for the tests";

  /** The company whose leads live in Rotor (ROTOR_COMPANY), with a key of its own. */
  const upstreamTenant = () => newTenant({ slug: UPSTREAM_COMPANY });

  beforeAll(async () => {
    rotorKey = await apiKeyFor(rotorEnv, `rotor-${Date.now().toString(36)}`, "portal");
    rotorApp = await spawnApp(rotorEnv);
    standIn = await startRotorStandIn({ forwardTo: `${rotorApp.base}/open-api` });
    restoreSettings = changeSettings({
      ROTOR_API_KEY: rotorKey,
      ROTOR_API_URL: standIn.url,
      // Room for "Rotor" (one app process) to answer 20 requests at once with other test files
      // running beside it; the stand-in's slow answers take longer still.
      ROTOR_TIMEOUT_MS: "1000",
      OUTBOX_BACKOFF_SECONDS: "0.01",
      INTAKE_PER_IP_PER_HOUR: "1000000",
      INTAKE_PER_FORM_PER_HOUR: "1000000",
      ROTOR_COMPANY: UPSTREAM_COMPANY,
      CRON_SECRET: CRON,
    });
  });

  afterAll(async () => {
    await outboxIdle();
    await standIn?.close();
    await rotorApp?.stop();
    restoreSettings?.();
  });

  /** What "Rotor" holds, asked directly (not through the stand-in, so it counts nothing). */
  async function rotorLeads(search: string): Promise<{ total: number; data: Record<string, unknown>[] }> {
    const response = await fetch(
      `${rotorApp.base}/open-api/leads?search=${encodeURIComponent(search)}&limit=1000`,
      {
        headers: { "x-api-key": rotorKey },
      },
    );
    const body = (await response.json()) as {
      data: Record<string, unknown>[];
      pagination: { total: number };
    };
    return { total: body.pagination.total, data: body.data };
  }

  /** The company's newest submission in the outbox. */
  async function latestSubmission(companyId: string) {
    const db = await getDb();
    const [item] = await db
      .select()
      .from(outbox)
      .where(and(eq(outbox.companyId, companyId), eq(outbox.kind, "rotor")))
      .orderBy(desc(outbox.id))
      .limit(1);
    return item;
  }

  async function pending(): Promise<number> {
    const db = await getDb();
    const rows = await db
      .select({ id: outbox.id })
      .from(outbox)
      .where(and(eq(outbox.kind, "rotor"), eq(outbox.status, "pending")));
    return rows.length;
  }

  async function contactForm(companyId: string) {
    const slug = `up-${randomUUID().slice(0, 8)}`;
    await createForm(companyId, {
      slug,
      title: "Contact",
      settings: {
        fields: [
          { name: "name", label: "Name", required: true },
          { name: "phone", label: "Phone", required: false },
          { name: "email", label: "Email", required: false },
        ],
        oneOf: ["phone", "email"],
        consent: null,
      },
      defaultSource: "website",
      defaultStage: "new",
      defaultTags: ["web"],
      allowedOrigins: [],
    });
    return slug;
  }

  const submit = (slug: string, body: Record<string, string>) =>
    intake.POST(
      new Request(`http://127.0.0.1:3000/api/intake/${slug}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      }),
      { params: Promise.resolve({ slug }) },
    );

  it("1,000 submissions while 30% of Rotor's answers fail: all delivered, none lost, none twice, outbox empty", async () => {
    const tenant = await upstreamTenant();
    const slug = await contactForm(tenant.company.id);
    const run = `bulk${Date.now().toString(36)}`;
    // 30% of the calls fail, in every way Rotor can fail; a slow answer comes after the client gave
    // up, so Rotor did the work and the retry repeats it.
    const faults: Fault[] = [
      { kind: "status", status: 500 },
      { kind: "status", status: 503 },
      { kind: "retry-after", seconds: 0 },
      { kind: "drop" },
      { kind: "slow", ms: 1200 },
      { kind: "hang" },
    ];
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    standIn.script(
      ...Array.from({ length: 6000 }, (): Fault =>
        random() < 0.3 ? faults[Math.floor(random() * faults.length)]! : { kind: "ok" },
      ),
    );
    const before = standIn.requests.length;

    const statuses: Record<number, number> = {};
    for (let batch = 0; batch < 1000; batch += 20) {
      await Promise.all(
        Array.from({ length: 20 }, async (_, i) => {
          const n = batch + i;
          const response = await submit(slug, {
            name: `${run} Person ${n}`,
            phone: `+1612${String(3000000 + n)}`,
            email: `${run}.${n}@example.com`,
          });
          statuses[response.status] = (statuses[response.status] ?? 0) + 1;
        }),
      );
    }
    // Every visitor was told it worked: at once (201) or once Rotor takes it (202).
    expect(Object.keys(statuses).sort()).toEqual(expect.arrayContaining(["201", "202"]));
    expect((statuses[201] ?? 0) + (statuses[202] ?? 0)).toBe(1000);

    await waitFor(
      "the outbox to send every submission",
      async () => {
        if ((await pending()) === 0) return true;
        await drainOutbox({ concurrency: 8 });
        return false;
      },
      240_000,
      25,
    );
    await outboxIdle();
    expect(await pending()).toBe(0);
    const db = await getDb();
    const failed = await db.select().from(outbox).where(eq(outbox.status, "failed"));
    expect(failed).toEqual([]);

    // At Rotor: exactly 1,000 leads, one per person, each with the form's source, stage and tag.
    const held = await rotorLeads(run);
    expect(held.total).toBe(1000);
    expect(new Set(held.data.map((l) => l.phone)).size).toBe(1000);
    expect(held.data.every((l) => l.source === "website" && l.stage === "new")).toBe(true);
    expect(held.data.every((l) => (l.tags as string[]).includes("web"))).toBe(true);

    // Counted at the stand-in: how many upserts of each person Rotor answered with success.
    const upserts = standIn.requests
      .slice(before)
      .filter((r) => r.method === "POST" && r.status !== undefined && r.status < 300 && r.body.includes(run));
    const perPerson = new Map<string, number>();
    for (const r of upserts) {
      const phone = (JSON.parse(r.body) as { phone: string }).phone;
      perPerson.set(phone, (perPerson.get(phone) ?? 0) + 1);
    }
    const repeats = [...perPerson.values()].reduce((sum, n) => sum + n - 1, 0);
    const calls = standIn.requests.length - before;
    const failedCalls = standIn.requests.slice(before).filter((r) => r.fault !== "ok").length;
    console.log(
      `upstream: 1000 submissions, ${calls} calls to Rotor, ${failedCalls} failed (${((100 * failedCalls) / calls).toFixed(1)}%), ${perPerson.size} people delivered, ${repeats} repeated upserts (harmless), 0 lost`,
    );
    expect(perPerson.size).toBe(1000);
    expect(failedCalls / calls).toBeGreaterThan(0.2);
    standIn.clearScript();
  }, 240_000);

  it("100 views of one admin list within the cache time cost Rotor one request", async () => {
    const tenant = await upstreamTenant();
    const admin = await newUser(tenant.company.id, "admin");
    const cookie = await sessionCookie(admin);
    const before = standIn.requests.length;
    const bodies = new Set<string>();
    for (let i = 0; i < 100; i++) {
      const response = await call(adminLeadsRoute, "/api/admin/leads?stage=new&limit=25", { cookie });
      expect(response.status).toBe(200);
      bodies.add(await response.text());
    }
    const lists = standIn.requests.slice(before).filter((r) => r.method === "GET");
    expect(lists).toHaveLength(1);
    expect(lists[0]!.path).toBe("/leads?stage=new&limit=25&page=1");
    expect(bodies.size).toBe(1);
    expect((await rotorUsage()).used).toBeGreaterThan(0);
  });

  it("the API and the admin read and write Rotor's leads; what Rotor cannot do is refused with a reason", async () => {
    const tenant = await upstreamTenant();
    // Webhooks work in upstream mode too: the event carries the lead as Rotor answered it.
    const { endpoint } = await createEndpoint(tenant.company.id, { url: "http://127.0.0.1:9/never-called" });
    const created = await tenant.api.post<{ id: string; name: string }>({
      name: "Upstream API",
      phone: "+16125550111",
    });
    expect(created.status).toBe(201);
    const db = await getDb();
    const [event] = await db
      .select()
      .from(outbox)
      .where(and(eq(outbox.kind, "webhook"), eq(outbox.leadId, created.body.id)));
    expect(event).toMatchObject({ kind: "webhook", event: "lead.created", leadId: created.body.id });
    expect(payloadLead(event!.payload)).toMatchObject({ id: created.body.id, name: "Upstream API" });
    await deleteEndpoint(tenant.company.id, endpoint.id);
    const held = await rotorLeads("Upstream API");
    expect(held.data.map((l) => l.id)).toEqual([created.body.id]);
    expect((await tenant.api.get<{ data: { id: string } }>(created.body.id)).body.data.id).toBe(
      created.body.id,
    );

    const admin = await newUser(tenant.company.id, "admin");
    const cookie = await sessionCookie(admin);
    const params = { id: created.body.id };
    const edited = await call(adminLeadRoute, `/api/admin/leads/${params.id}`, {
      method: "PATCH",
      params,
      cookie,
      body: { notes: "Call after 5", tags: ["vip"] },
    });
    expect(edited.status).toBe(200);
    expect((await json<{ data: { notes: string; tags: string[] } }>(edited)).data).toMatchObject({
      notes: "Call after 5",
      tags: ["vip"],
    });
    const archive = await call(adminLeadRoute, `/api/admin/leads/${params.id}`, {
      method: "PATCH",
      params,
      cookie,
      body: { archived: true },
    });
    expect(archive.status).toBe(409);
    expect(await json(archive)).toEqual({
      status: "error",
      message: "Archiving is not possible while the leads live in Rotor",
      error_code: "NOT_SUPPORTED_UPSTREAM",
    });
    const bulk = await call(bulkRoute, "/api/admin/leads/bulk", {
      method: "POST",
      cookie,
      body: { ids: [params.id], action: "archive" },
    });
    expect(bulk.status).toBe(409);

    // Rotor unreachable after the client's retries: a 503 the caller may retry, not a 500.
    standIn.script(
      { kind: "status", status: 502 },
      { kind: "status", status: 502 },
      { kind: "status", status: 502 },
    );
    const down = await tenant.api.post({ name: "Later", phone: "+16125550112" });
    expect(down.status).toBe(503);
    expect(down.headers.get("retry-after")).toBe("30");
    expect(down.body).toMatchObject({ status: "error", error_code: "UPSTREAM_UNAVAILABLE" });
  });

  it("a submission Rotor refuses (4xx) is parked with its reason, and goes out when replayed after a fix", async () => {
    const tenant = await upstreamTenant();
    const slug = await contactForm(tenant.company.id);
    standIn.script({
      kind: "status",
      status: 400,
      body: {
        status: "error",
        message: "Validation failed",
        errors: [{ field: "phone", message: "Invalid phone number" }],
      },
    });
    const response = await submit(slug, { name: "Parked Person", phone: "+16125550113" });
    expect(response.status).toBe(202);
    const db = await getDb();
    const item = await latestSubmission(tenant.company.id);
    expect(item).toMatchObject({
      status: "failed",
      lastStatus: 400,
      lastError: "Rotor refused it (400): phone: Invalid phone number",
    });
    // Nothing personal in what the log says.
    expect(item!.lastError).not.toContain("5550113");

    const admin = await newUser(tenant.company.id, "admin");
    const cookie = await sessionCookie(admin);
    const params = { id: String(item!.id) };
    const replayed = await call(replayRoute, `/api/admin/outbox/${item!.id}/replay`, {
      method: "POST",
      params,
      cookie,
    });
    expect(replayed.status).toBe(200);
    await drainOutbox();
    await outboxIdle();
    const [after] = await db.select().from(outbox).where(eq(outbox.id, item!.id));
    expect(after).toMatchObject({ status: "delivered" });
    expect((await rotorLeads("Parked Person")).total).toBe(1);
    // A member may not replay.
    const member = await newUser(tenant.company.id, "member");
    const refused = await call(replayRoute, `/api/admin/outbox/${item!.id}/replay`, {
      method: "POST",
      params,
      cookie: await sessionCookie(member),
    });
    expect(refused.status).toBe(403);
  });

  /** The bodies of Rotor upserts sent since `from` that mention this text, in the order sent. */
  const sentSince = (from: number, text: string) =>
    standIn.requests
      .slice(from)
      .filter((r) => r.method === "POST" && r.body.includes(text))
      .map((r) => ({ body: JSON.parse(r.body) as Record<string, unknown>, answered: r.status }));

  it("one person's submissions reach Rotor in the order sent, under their phone or their email", async () => {
    const tenant = await upstreamTenant();
    const slug = await contactForm(tenant.company.id);
    const from = standIn.requests.length;
    // The first one fails: the later ones wait for it rather than overtake it.
    standIn.script({ kind: "status", status: 500 });
    const first = await submit(slug, { name: "Order One", email: "order@example.com" });
    const second = await submit(slug, {
      name: "Order Two",
      phone: "+16125550160",
      email: "order@example.com",
    });
    const third = await submit(slug, { name: "Order Three", phone: "+16125550160" });
    expect([first.status, second.status, third.status]).toEqual([202, 202, 202]);
    await waitFor(
      "the three submissions sent",
      async () => {
        if ((await pending()) === 0) return true;
        await drainOutbox();
        return false;
      },
      10_000,
      20,
    );
    await outboxIdle();
    const sent = sentSince(from, "Order ").map((r) => [r.body.name, r.answered]);
    expect(sent).toEqual([
      ["Order One", 500],
      ["Order One", 201],
      ["Order Two", 200],
      ["Order Three", 200],
    ]);
    const held = await rotorLeads("order@example.com");
    expect(held.data.map((l) => l.name)).toEqual(["Order Three"]);
  });

  it("a new lead's source and stage are set by a second call, which resumes on its own after a failure", async () => {
    const tenant = await upstreamTenant();
    const slug = await contactForm(tenant.company.id);
    const from = standIn.requests.length;
    standIn.script({ kind: "ok" }, { kind: "status", status: 503 });
    const response = await submit(slug, { name: "Resumed Person", phone: "+16125550170" });
    expect(response.status).toBe(202);
    const db = await getDb();
    const item = await latestSubmission(tenant.company.id);
    expect(item).toMatchObject({ status: "pending", event: "defaults" });
    expect(item!.leadId).toMatch(/^[0-9a-f-]{36}$/);
    // The second call is retried once its backoff is over.
    const itemNow = async () => (await db.select().from(outbox).where(eq(outbox.id, item!.id)))[0];
    await waitFor("the second call retried", async () => {
      await drainOutbox();
      await outboxIdle();
      return (await itemNow())?.status !== "pending";
    });
    const after = await itemNow();
    expect(after).toMatchObject({ status: "delivered" });
    // The lead was created once; only the second call was repeated.
    const calls = standIn.requests.slice(from).filter((r) => r.method === "POST");
    expect(calls.map((r) => [JSON.parse(r.body).id ?? "upsert", r.status])).toEqual([
      ["upsert", 201],
      [item!.leadId, 503],
      [item!.leadId, 200],
    ]);
    const held = await rotorLeads("Resumed Person");
    expect(held.data).toEqual([expect.objectContaining({ source: "website", stage: "new" })]);
  });

  it("keeps every submission as the local database does, the outbox item pointing at it", async () => {
    const tenant = await upstreamTenant();
    const slug = await contactForm(tenant.company.id);
    standIn.script({ kind: "status", status: 503 });
    const waiting = await submit(slug, { name: "Kept Person", phone: "+16125550175", extra_field: "kept" });
    expect(waiting.status).toBe(202);
    const { submission_id: id } = (await waiting.json()) as { submission_id: string };
    const db = await getDb();
    const row = async () => (await db.select().from(submissionRows).where(eq(submissionRows.id, id)))[0];
    expect(await row()).toMatchObject({
      status: "queued",
      fields: { name: "Kept Person", extra_field: "kept" },
    });
    const item = await latestSubmission(tenant.company.id);
    expect(item!.submissionId).toBe(id);
    await waitFor("the submission delivered", async () => {
      await drainOutbox();
      await outboxIdle();
      return (await row())?.status !== "queued";
    });
    expect((await row())!.status).toBe("lead");
    // Spam is kept too, and never sent to Rotor.
    const bot = `Bot ${randomUUID().slice(0, 8)}`;
    const spam = await submit(slug, { name: bot, phone: "+16125550176", website_url: "x" });
    expect(spam.status).toBe(201);
    const { submission_id: spamId } = (await spam.json()) as { submission_id: string };
    const [kept] = await db.select().from(submissionRows).where(eq(submissionRows.id, spamId));
    expect(kept).toMatchObject({ status: "spam", spamReason: "honeypot" });
    expect((await rotorLeads(bot)).data).toEqual([]);
  });

  it("a submission that reaches Rotor alerts the admins, with a link to Rotor's lead in the admin", async () => {
    const smtp = await startSmtp();
    const restore = changeSettings({ SMTP_URL: smtp.url, MAIL_FROM: "alerts@example.com" });
    try {
      const tenant = await upstreamTenant();
      const admin = await newUser(tenant.company.id, "admin");
      const slug = await contactForm(tenant.company.id);
      const name = `Upstream ${randomUUID().slice(0, 6)}`;
      expect((await submit(slug, { name, phone: "+16125550177" })).status).toBe(201);
      // The outbox may still be finishing the earlier tests' thousand deliveries (a drain's claims
      // wait as long as the last one took), which on a busy machine can take more than 10 s.
      const mail = await smtp.waitForMail(
        (m) => m.to.includes(admin.email) && m.subject.includes(name),
        30_000,
      );
      const [inRotor] = (await rotorLeads(name)).data;
      expect(mail.subject).toBe(`New lead: ${name}`);
      expect(mail.text).toContain(`/admin/leads/${String(inRotor!.id)}`);
      expect(mail.text).toContain("Call: (612) 555-0177 (tel:+16125550177)");
    } finally {
      restore();
      await smtp.close();
    }
  });

  it("a parked submission is not sent again once a newer one of the same person reached Rotor", async () => {
    const tenant = await upstreamTenant();
    const slug = await contactForm(tenant.company.id);
    // No drain under way (other tests' alerts), which could take the new submission from the
    // intake's own first attempt and leave it to wait (202).
    await outboxIdle();
    standIn.script({ kind: "status", status: 422, body: { status: "error", message: "Unprocessable" } });
    expect((await submit(slug, { name: "Old Name", phone: "+16125550175" })).status).toBe(202);
    await outboxIdle();
    expect((await submit(slug, { name: "New Name", phone: "+16125550175" })).status).toBe(201);
    const db = await getDb();
    const [parked] = await db
      .select()
      .from(outbox)
      .where(and(eq(outbox.sequence, "phone:+16125550175"), eq(outbox.status, "failed")));
    const cookie = await sessionCookie(await newUser(tenant.company.id, "admin"));
    const response = await call(replayRoute, `/api/admin/outbox/${parked!.id}/replay`, {
      method: "POST",
      params: { id: String(parked!.id) },
      cookie,
    });
    expect(response.status).toBe(409);
    expect(await json(response)).toEqual({
      status: "error",
      message:
        "Newer submissions of this person already reached Rotor; sending this older one would overwrite them",
      error_code: "CONFLICT",
    });
    expect((await rotorLeads("+16125550175")).data.map((l) => l.name)).toEqual(["New Name"]);
  });

  it("the list's triage needs the local database: sorting and its filters are refused, saved views keep Rotor's filters", async () => {
    const tenant = await upstreamTenant();
    const admin = await newUser(tenant.company.id, "admin");
    const cookie = await sessionCookie(admin);
    const from = standIn.requests.length;
    for (const query of ["sort=name", "due=1", "assigned=me", "won=month", "contacted=no"]) {
      const refused = await call(adminLeadsRoute, `/api/admin/leads?${query}`, { cookie });
      expect(refused.status, query).toBe(409);
      expect(await json(refused)).toMatchObject({ error_code: "NOT_SUPPORTED_UPSTREAM" });
    }
    // Refused before asking Rotor: the day's quota is not spent on them.
    expect(standIn.requests.length).toBe(from);
    const listed = await call(adminLeadsRoute, "/api/admin/leads?stage=won&limit=5", { cookie });
    expect(listed.status).toBe(200);
    expect(await json(listed)).toMatchObject({ marks: {} });

    const save = (body: unknown) =>
      call(adminLeadsRoute, "/api/admin/leads", { method: "PUT", cookie, body });
    const saved = await save({ name: "Won roofs", query: "stage=won&tags=roof" });
    expect(saved.status).toBe(201);
    expect(await json(saved)).toMatchObject({ data: { name: "Won roofs", query: "stage=won&tags=roof" } });
    const due = await save({ name: "Due", query: "due=1" });
    expect(due.status).toBe(400);
    expect(await json(due)).toMatchObject({ errors: [{ field: "query" }] });
  });

  it("only ROTOR_COMPANY's leads live in Rotor: another company keeps its own, unseen by Rotor", async () => {
    const other = await newTenant();
    const from = standIn.requests.length;
    const created = await other.api.post<{ id: string }>({ name: "Local Only", phone: "+16125550180" });
    expect(created.status).toBe(201);
    expect((await other.api.get(created.body.id)).status).toBe(200);
    expect(standIn.requests.length).toBe(from);
    expect((await rotorLeads("Local Only")).total).toBe(0);
    // And the upstream company cannot read it.
    const upstream = await upstreamTenant();
    expect((await upstream.api.get(created.body.id)).status).toBe(404);
  });

  it("the cron route drains the outbox for the bearer of CRON_SECRET only", async () => {
    const get = (authorization?: string) =>
      cronRoute.GET(
        new Request("http://127.0.0.1:3000/api/cron/outbox", {
          headers: authorization ? { authorization } : {},
        }),
      );
    for (const refused of [undefined, "Bearer wrong", CRON, `Bearer ${CRON}x`]) {
      const response = await get(refused);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({
        status: "error",
        message: "Unauthorized",
        error_code: "AUTHENTICATION_REQUIRED",
      });
    }
    const tenant = await upstreamTenant();
    const slug = await contactForm(tenant.company.id);
    // Rotor fails whatever the submission's own attempt and the drain it starts try, so that only
    // the cron route can deliver it once Rotor answers again.
    standIn.script(...Array.from({ length: 10 }, () => ({ kind: "status", status: 500 }) as const));
    expect((await submit(slug, { name: "Cron Person", phone: "+16125550190" })).status).toBe(202);
    await outboxIdle();
    standIn.clearScript();
    expect(await pending()).toBe(1);
    // Each run reports what it did; the submission goes out within a few (a retry waits its backoff).
    let delivered = 0;
    await waitFor(
      "a cron run to deliver the submission",
      async () => {
        if ((await pending()) === 0) return true;
        await outboxIdle();
        const response = await get(`Bearer ${CRON}`);
        expect(response.status).toBe(200);
        const report = (await response.json()) as Record<string, number>;
        expect(report).toEqual({
          status: "success",
          delivered: expect.any(Number),
          retried: expect.any(Number),
          failed: 0,
          digests_queued: expect.any(Number),
          purged_spam: expect.any(Number),
        });
        delivered += report.delivered!;
        return false;
      },
      10_000,
      50,
    );
    expect(await pending()).toBe(0);
    expect(delivered).toBe(1);
    expect((await rotorLeads("Cron Person")).total).toBe(1);
  });
});
