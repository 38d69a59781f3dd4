import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as historyRoute from "@/app/api/admin/leads/[id]/history/route";
import * as outboxRoute from "@/app/api/admin/outbox/route";
import * as replayRoute from "@/app/api/admin/outbox/[id]/replay/route";
import * as webhooksRoute from "@/app/api/admin/webhooks/route";
import * as webhookRoute from "@/app/api/admin/webhooks/[id]/route";
import { setClock } from "@/lib/clock";
import type { TimelineEntry } from "@/lib/leads/history";
import { outboxIdle } from "@/lib/outbox/kick";
import { drainOutbox } from "@/lib/outbox/worker";
import { SIGNATURE_HEADER, verifySignature } from "@/lib/webhooks";
import { BREAKER_FAILURES, BREAKER_PAUSE_MS } from "@/lib/webhooks/breaker";
import { UNREACHABLE } from "@/lib/webhooks/send";
import { newTenant } from "../support/fixtures";
import { withSettings } from "../support/settings";
import { call, json, newUser, sessionCookie } from "../support/staff";
import { waitFor } from "../support/wait-for";
import { type Receiver, startReceiver } from "../support/webhook-receiver";

/**
 * Drains until nothing has been due for 30 ms: a retry waits its backoff (a few milliseconds here),
 * so one empty drain is not yet the end.
 */
async function deliverAll(): Promise<void> {
  let quietSince: number | null = null;
  await waitFor(
    "the outbox to have nothing due",
    async () => {
      await outboxIdle();
      const report = await drainOutbox();
      if (report.retried + report.delivered + report.failed > 0) {
        quietSince = null;
        return false;
      }
      quietSince ??= Date.now();
      return Date.now() - quietSince >= 30;
    },
    30_000,
  );
}

describe("webhooks", () => {
  let receiver: Receiver;
  // The receivers listen on loopback: the operator allows it, by address and by name.
  withSettings({ OUTBOX_BACKOFF_SECONDS: "0.005", WEBHOOK_ALLOWED_HOSTS: "127.0.0.1,localhost" });

  beforeAll(async () => {
    receiver = await startReceiver();
  });

  afterAll(async () => {
    await outboxIdle();
    await receiver.close();
  });

  it("every created or updated lead is posted, signed; failures are retried; the log shows it; replay sends it again", async () => {
    const tenant = await newTenant();
    const admin = await newUser(tenant.company.id, "admin");
    const cookie = await sessionCookie(admin);

    const made = await call(webhooksRoute, "/api/admin/webhooks", {
      method: "POST",
      cookie,
      body: { url: receiver.url },
    });
    expect(made.status).toBe(201);
    const { data: endpoint, secret } = await json<{
      data: { id: string; secretHint: string };
      secret: string;
    }>(made);
    expect(secret).toMatch(/^whsec_/);
    // The secret is shown once; the list shows only its start.
    const listed = await json<{ data: { id: string; secretHint: string }[] }>(
      await call(webhooksRoute, "/api/admin/webhooks", { cookie }),
    );
    expect(JSON.stringify(listed)).not.toContain(secret);
    expect(listed.data.map((e) => e.id)).toEqual([endpoint.id]);

    receiver.failNext(500, 503);
    const created = await tenant.api.post<{ id: string }>({ name: "Hooked Lead", phone: "+16125550150" });
    expect(created.status).toBe(201);
    await deliverAll();

    // Two failures, then the delivery; the same delivery each time, each signed afresh.
    expect(receiver.received.map((r) => r.answered)).toEqual([500, 503, 204]);
    const deliveryIds = new Set(receiver.received.map((r) => r.headers["x-portal-delivery"]));
    expect(deliveryIds.size).toBe(1);
    for (const r of receiver.received) {
      expect(verifySignature(secret, r.headers[SIGNATURE_HEADER] as string, r.body)).toBe(true);
      expect(verifySignature("whsec_wrong", r.headers[SIGNATURE_HEADER] as string, r.body)).toBe(false);
      expect(verifySignature(secret, r.headers[SIGNATURE_HEADER] as string, `${r.body} `)).toBe(false);
    }
    const event = JSON.parse(receiver.received[2]!.body) as {
      id: string;
      type: string;
      data: { id: string; name: string; phone: string };
    };
    expect(event).toMatchObject({
      type: "lead.created",
      data: { id: created.body.id, name: "Hooked Lead", phone: "+16125550150" },
    });
    expect(receiver.received[2]!.headers["x-portal-event"]).toBe("lead.created");

    // An update is posted too.
    await tenant.api.post({ phone: "(612) 555-0150", tags: ["roof"] });
    await deliverAll();
    const update = JSON.parse(receiver.received.at(-1)!.body) as { type: string; data: { tags: string[] } };
    expect(update).toMatchObject({ type: "lead.updated", data: { tags: ["roof"] } });

    // The delivery log: newest first, what happened, no personal details.
    const log = await json<{ data: { id: number; status: string; attempts: number; lastStatus: number }[] }>(
      await call(outboxRoute, "/api/admin/outbox?kind=webhook", { cookie }),
    );
    expect(log.data.map((e) => [e.status, e.attempts, e.lastStatus])).toEqual([
      ["delivered", 1, 204],
      ["delivered", 3, 204],
    ]);
    expect(JSON.stringify(log)).not.toContain("Hooked");
    // Each delivery's end is on the lead's history too (its retries are not).
    const history = await json<{ data: TimelineEntry[] }>(
      await call(historyRoute, `/api/admin/leads/${created.body.id}/history`, {
        cookie,
        params: { id: created.body.id },
      }),
    );
    expect(history.data.filter((e) => e.kind === "delivery").map((e) => e.delivery)).toEqual([
      { event: "lead.updated", to: new URL(receiver.url).host, result: "delivered", status: 204 },
      { event: "lead.created", to: new URL(receiver.url).host, result: "delivered", status: 204 },
    ]);

    // Replay the first delivery: the receiver gets the same event again, signed.
    const first = log.data[1]!;
    const replayed = await call(replayRoute, `/api/admin/outbox/${first.id}/replay`, {
      method: "POST",
      params: { id: String(first.id) },
      cookie,
    });
    expect(replayed.status).toBe(200);
    const before = receiver.received.length;
    await deliverAll();
    expect(receiver.received.length).toBe(before + 1);
    const again = receiver.received.at(-1)!;
    expect(verifySignature(secret, again.headers[SIGNATURE_HEADER] as string, again.body)).toBe(true);
    // A new delivery of the same event: another delivery id, the same event id.
    expect(JSON.parse(again.body)).toEqual(JSON.parse(receiver.received[2]!.body));
    expect(again.headers["x-portal-delivery"]).not.toBe(receiver.received[2]!.headers["x-portal-delivery"]);

    // Turned off, the endpoint gets nothing more; a member may not manage endpoints.
    const off = await call(webhookRoute, `/api/admin/webhooks/${endpoint.id}`, {
      method: "PATCH",
      params: { id: endpoint.id },
      cookie,
      body: { active: false },
    });
    expect(off.status).toBe(200);
    await tenant.api.post({ phone: "+16125550150", notes: "quiet" });
    await deliverAll();
    expect(receiver.received.length).toBe(before + 1);
    const member = await newUser(tenant.company.id, "member");
    const refused = await call(webhooksRoute, "/api/admin/webhooks", {
      method: "POST",
      cookie: await sessionCookie(member),
      body: { url: receiver.url },
    });
    expect(refused.status).toBe(403);
  });

  it("Slack, Discord and Teams endpoints get a readable message per new lead, not raw JSON, and no message per edit", async () => {
    const tenant = await newTenant();
    const cookie = await sessionCookie(await newUser(tenant.company.id, "admin"));
    for (const format of ["slack", "discord", "teams"]) {
      const added = await call(webhooksRoute, "/api/admin/webhooks", {
        method: "POST",
        cookie,
        body: { url: `http://127.0.0.1:${receiver.port}/chat/${format}`, format },
      });
      expect(added.status).toBe(201);
    }
    const refused = await call(webhooksRoute, "/api/admin/webhooks", {
      method: "POST",
      cookie,
      body: { url: `http://127.0.0.1:${receiver.port}/chat/irc`, format: "irc" },
    });
    expect(refused.status).toBe(400);
    const before = receiver.received.length;
    const created = await tenant.api.post({
      name: "Morgan *Bold* <b>",
      phone: "(612) 555-0123",
      email: "morgan@example.com",
      service_type: "Roof repair",
      address_city: "Edina",
      notes:
        "Leak over the kitchen @everyone, photos at https://evil.example/x and [here](https://evil.example)",
    });
    expect(created.status).toBe(201);
    const id = (created.body as { id: string }).id;
    expect((await tenant.api.post({ id, stage: "Quoted" })).status).toBe(200);
    await deliverAll();
    const chats = receiver.received.slice(before).filter((r) => r.path.startsWith("/chat/"));
    expect(chats.map((r) => r.path).sort()).toEqual(["/chat/discord", "/chat/slack", "/chat/teams"]);
    const body = (path: string) =>
      JSON.parse(chats.find((r) => r.path === path)!.body) as Record<string, unknown>;
    const link = `http://127.0.0.1:3000/admin/leads/${id}`;
    expect(body("/chat/slack")).toEqual({
      text: [
        `*New lead for ${tenant.company.name}: Morgan *Bold* &lt;b&gt;*`,
        "Roof repair · Edina",
        "> Leak over the kitchen @everyone, photos at https:\u200B//evil.example/x and [here]\u200B(https:\u200B//evil.example)",
        `Call (612) 555-0123 · <${link}|Open the lead>`,
      ].join("\n"),
    });
    expect(body("/chat/discord")).toEqual({
      content: [
        `**New lead for ${tenant.company.name}: Morgan \\*Bold\\* <b\\>**`,
        "Roof repair · Edina",
        "> Leak over the kitchen \\@everyone, photos at https:\u200B//evil.example/x and \\[here\\]\u200B\\(https:\u200B//evil.example\\)",
        `Call (612) 555-0123 · [Open the lead](<${link}>)`,
      ].join("\n"),
      allowed_mentions: { parse: [] },
    });
    const card = (
      body("/chat/teams").attachments as {
        content: { body: { text: string }[]; actions: { url: string }[] };
      }[]
    )[0]!.content;
    expect(card.body.map((b) => b.text)).toEqual([
      `New lead for ${tenant.company.name}: Morgan *Bold* <b>`,
      "Roof repair · Edina",
      "Leak over the kitchen @everyone, photos at https:\u200B//evil.example/x and [here]\u200B(https:\u200B//evil.example)",
      "Phone: (612) 555-0123",
    ]);
    expect(card.actions.map((a) => a.url)).toEqual([link, "tel:+16125550123"]);
    expect(JSON.stringify(chats.map((r) => r.body))).not.toContain("morgan@example.com");
  });

  it("a drain that finds no free place when it looks for work ends, rather than waiting on itself", async () => {
    // Every place taken is what a busy server meets; no place at all makes it certain.
    await expect(drainOutbox({ concurrency: 0 })).resolves.toEqual({ delivered: 0, retried: 0, failed: 0 });
  });

  it("refuses an endpoint that is not an http(s) address, with the contract's 400", async () => {
    const tenant = await newTenant();
    const cookie = await sessionCookie(await newUser(tenant.company.id, "admin"));
    const response = await call(webhooksRoute, "/api/admin/webhooks", {
      method: "POST",
      cookie,
      body: { url: "javascript:alert(1)" },
    });
    expect(response.status).toBe(400);
    expect(await json(response)).toEqual({
      status: "error",
      message: "Validation failed",
      errors: [{ field: "url", message: "Must be an http:// or https:// address" }],
    });
  });

  /** A company of its own with a signed-in admin, and a way to add endpoints as that admin. */
  async function adminOf() {
    const tenant = await newTenant();
    const cookie = await sessionCookie(await newUser(tenant.company.id, "admin"));
    const addEndpoint = async (url: string) => {
      const response = await call(webhooksRoute, "/api/admin/webhooks", {
        method: "POST",
        cookie,
        body: { url },
      });
      return { status: response.status, body: await json<{ data: { id: string } }>(response) };
    };
    return { tenant, cookie, addEndpoint };
  }

  /** Removes a company's endpoints, and with them what still waits for them. */
  async function removeEndpoints(cookie: string) {
    const listed = await json<{ data: { id: string }[] }>(
      await call(webhooksRoute, "/api/admin/webhooks", { cookie }),
    );
    for (const { id } of listed.data) {
      await call(webhookRoute, `/api/admin/webhooks/${id}`, { method: "DELETE", params: { id }, cookie });
    }
  }

  interface LogEntry {
    id: number;
    target: string;
    status: string;
    attempts: number;
    lastStatus: number | null;
    lastError: string | null;
    nextAttemptAt: string;
  }
  const deliveryLog = async (cookie: string) =>
    (await json<{ data: LogEntry[] }>(await call(outboxRoute, "/api/admin/outbox?kind=webhook", { cookie })))
      .data;

  it("reaches an internal receiver that the operator named in WEBHOOK_ALLOWED_HOSTS", async () => {
    const { tenant, addEndpoint } = await adminOf();
    expect((await addEndpoint(`http://localhost:${receiver.port}/internal`)).status).toBe(201);
    const before = receiver.received.length;
    expect((await tenant.api.post({ name: "Internal Lead", phone: "+16125550301" })).status).toBe(201);
    await deliverAll();
    expect(receiver.received.slice(before).map((r) => [r.path, r.answered])).toEqual([["/internal", 204]]);
  });

  it("the log tells whether a delivery arrived, an answer's class, or that the receiver could not be reached: never which way", async () => {
    const { tenant, cookie, addEndpoint } = await adminOf();
    const refusing = await startReceiver({
      answer: (res, delivery) => {
        delivery.answered = 405;
        res.writeHead(405).end();
      },
    });
    const resetting = await startReceiver({ answer: (res) => res.socket?.destroy() });
    const gone = await startReceiver();
    await gone.close();
    const target = await startReceiver({ host: "127.0.0.2" });
    const redirecting = await startReceiver({
      answer: (res, delivery) => {
        delivery.answered = 302;
        res.writeHead(302, { location: target.url }).end();
      },
    });
    try {
      for (const r of [refusing, resetting, gone, redirecting])
        expect((await addEndpoint(r.url)).status).toBe(201);
      expect((await tenant.api.post({ name: "Coarse Lead", phone: "+16125550302" })).status).toBe(201);
      await waitFor("an attempt at each endpoint", async () => {
        await drainOutbox();
        return (await deliveryLog(cookie)).filter((e) => e.attempts > 0 && e.lastError).length === 4;
      });
      const said = Object.fromEntries(
        (await deliveryLog(cookie)).map((e) => [e.target, [e.lastStatus, e.lastError]]),
      );
      expect(said).toEqual({
        [refusing.url]: [null, "not delivered: the receiver answered with an error (4xx)"],
        [resetting.url]: [null, UNREACHABLE],
        [gone.url]: [null, UNREACHABLE],
        [redirecting.url]: [
          null,
          "not delivered: the receiver answered with a redirect (3xx), which is not followed",
        ],
      });
      // The redirect (answered at each retry) pointed at another loopback address, which got nothing.
      expect(redirecting.received.length).toBeGreaterThan(0);
      expect(target.received).toHaveLength(0);
    } finally {
      await removeEndpoints(cookie);
      await Promise.all([refusing, resetting, target, redirecting].map((r) => r.close()));
    }
  });

  it("one company's hanging endpoints do not hold back another company's delivery", async ({ annotate }) => {
    const slow = await adminOf();
    const other = await adminOf();
    // Eight endpoints that take a delivery and never answer: held open until this test ends.
    let closed = 0;
    const hanging = await startReceiver({ answer: (res) => res.on("close", () => closed++) });
    const quick = await startReceiver();
    try {
      for (let i = 1; i <= 8; i++)
        expect((await slow.addEndpoint(`${hanging.base}/hang/${i}`)).status).toBe(201);
      expect((await other.addEndpoint(quick.url)).status).toBe(201);

      expect((await slow.tenant.api.post({ name: "Slow Company Lead", phone: "+16125550303" })).status).toBe(
        201,
      );
      await waitFor("a delivery held at each of the eight endpoints", () => hanging.received.length === 8);
      const started = performance.now();
      expect(
        (await other.tenant.api.post({ name: "Other Company Lead", phone: "+16125550304" })).status,
      ).toBe(201);
      await waitFor("the other company's delivery", () => quick.received.length === 1);
      const took = performance.now() - started;

      expect(closed).toBe(0);
      expect(hanging.received.map((r) => r.path).sort()).toEqual(
        Array.from({ length: 8 }, (_, i) => `/hang/${i + 1}`).sort(),
      );
      expect(JSON.parse(quick.received[0]!.body)).toMatchObject({ data: { name: "Other Company Lead" } });
      await annotate(
        `the other company's delivery arrived ${took.toFixed(0)} ms after its lead was written, with 8 deliveries held open`,
        "latency",
      );
    } finally {
      await removeEndpoints(slow.cookie);
      await Promise.all([hanging.close(), quick.close()]);
    }
  });

  it("pauses an endpoint that fails again and again, says so, and goes on when an admin resumes it or replays a delivery", async () => {
    const { tenant, cookie, addEndpoint } = await adminOf();
    const failing = await startReceiver();
    let clock = Date.now();
    setClock(() => new Date(clock));
    /**
     * Drains, a minute later each time (past every backoff), until the condition holds. The clock
     * moves only once no delivery is under way: moved past a lease, it would let a second drain take
     * an item the first is still sending.
     */
    const drainUntil = (what: string, condition: () => Promise<boolean>) =>
      waitFor(what, async () => {
        await outboxIdle();
        await drainOutbox();
        if (await condition()) return true;
        await outboxIdle();
        clock += 60_000;
        return false;
      });
    const endpointState = async () =>
      (
        await json<{ data: { id: string; failureStreak: number; pausedUntil: string | null }[] }>(
          await call(webhooksRoute, "/api/admin/webhooks", { cookie }),
        )
      ).data[0]!;
    const paused = async () => (await endpointState()).pausedUntil !== null;
    try {
      const { id } = (await addEndpoint(failing.url)).body.data;
      failing.failNext(...Array<number>(BREAKER_FAILURES).fill(500));
      expect((await tenant.api.post({ name: "Breaker One", phone: "+16125550305" })).status).toBe(201);
      await drainUntil("the endpoint paused", paused);
      expect(failing.received.map((r) => r.answered)).toEqual(Array(BREAKER_FAILURES).fill(500));
      const pausedUntil = new Date(clock + BREAKER_PAUSE_MS).toISOString();
      expect(await endpointState()).toMatchObject({ id, failureStreak: BREAKER_FAILURES, pausedUntil });

      // While paused nothing goes to it; what waits says when it will go.
      expect((await tenant.api.post({ name: "Breaker Two", phone: "+16125550306" })).status).toBe(201);
      await drainOutbox();
      await outboxIdle();
      clock += BREAKER_PAUSE_MS / 2;
      await drainOutbox();
      expect(failing.received).toHaveLength(BREAKER_FAILURES);
      expect((await deliveryLog(cookie)).map((e) => [e.status, e.nextAttemptAt])).toEqual([
        ["pending", pausedUntil],
        ["pending", pausedUntil],
      ]);

      // When the pause is over the next deliveries go out; failing again, they pause it again.
      failing.failNext(500, 500);
      await outboxIdle();
      clock += BREAKER_PAUSE_MS / 2;
      await drainUntil("two more attempts", async () => failing.received.length === BREAKER_FAILURES + 2);
      expect(await endpointState()).toMatchObject({
        failureStreak: BREAKER_FAILURES + 2,
        pausedUntil: new Date(clock + BREAKER_PAUSE_MS).toISOString(),
      });

      // An admin resumes it: what waited goes out now.
      const resumed = await call(webhookRoute, `/api/admin/webhooks/${id}`, {
        method: "PATCH",
        params: { id },
        cookie,
        body: { paused: false },
      });
      expect(resumed.status).toBe(200);
      expect((await json<{ data: { pausedUntil: string | null } }>(resumed)).data.pausedUntil).toBeNull();
      await drainUntil("both delivered", async () =>
        (await deliveryLog(cookie)).every((e) => e.status === "delivered"),
      );
      expect(failing.received.slice(BREAKER_FAILURES + 2).map((r) => r.answered)).toEqual([204, 204]);
      expect(await endpointState()).toMatchObject({ failureStreak: 0, pausedUntil: null });

      // Paused again, a replay sends at once, and what waited goes with it.
      failing.failNext(...Array<number>(BREAKER_FAILURES).fill(500));
      expect((await tenant.api.post({ name: "Breaker Three", phone: "+16125550307" })).status).toBe(201);
      await drainUntil("the endpoint paused again", paused);
      const delivered = (await deliveryLog(cookie)).find((e) => e.status === "delivered")!;
      const replayed = await call(replayRoute, `/api/admin/outbox/${delivered.id}/replay`, {
        method: "POST",
        params: { id: String(delivered.id) },
        cookie,
      });
      expect(replayed.status).toBe(200);
      const before = failing.received.length;
      await drainUntil("the replay and the waiting delivery sent", async () =>
        (await deliveryLog(cookie)).every((e) => e.status === "delivered"),
      );
      expect(failing.received.slice(before).map((r) => r.answered)).toEqual([204, 204]);
      expect(await endpointState()).toMatchObject({ failureStreak: 0, pausedUntil: null });
    } finally {
      setClock(null);
      await failing.close();
    }
  });

  it("a company may register WEBHOOK_ENDPOINTS_PER_COMPANY endpoints (10); one more is refused with the contract's 409", async () => {
    const { cookie, addEndpoint } = await adminOf();
    // All at once: the count holds however the additions interleave.
    const statuses = await Promise.all(
      Array.from(
        { length: 12 },
        async (_, i) => (await addEndpoint(`https://hooks.example.com/${i}`)).status,
      ),
    );
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    expect(statuses.filter((s) => s === 409)).toHaveLength(2);
    const refused = await addEndpoint("https://hooks.example.com/one-more");
    expect(refused).toEqual({
      status: 409,
      body: {
        status: "error",
        message: "A company may have at most 10 webhook endpoints: remove one before adding another",
        error_code: "CONFLICT",
      },
    });
    const [first] = (
      await json<{ data: { id: string }[] }>(await call(webhooksRoute, "/api/admin/webhooks", { cookie }))
    ).data;
    const removed = await call(webhookRoute, `/api/admin/webhooks/${first!.id}`, {
      method: "DELETE",
      params: { id: first!.id },
      cookie,
    });
    expect(removed.status).toBe(200);
    expect((await addEndpoint("https://hooks.example.com/instead")).status).toBe(201);
    // Another company counts its own.
    expect((await (await adminOf()).addEndpoint("https://hooks.example.com/elsewhere")).status).toBe(201);
  });
});
