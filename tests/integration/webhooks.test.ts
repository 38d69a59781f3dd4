import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as outboxRoute from "@/app/api/admin/outbox/route";
import * as replayRoute from "@/app/api/admin/outbox/[id]/replay/route";
import * as webhooksRoute from "@/app/api/admin/webhooks/route";
import * as webhookRoute from "@/app/api/admin/webhooks/[id]/route";
import { drainOutbox, outboxIdle } from "@/lib/outbox";
import { SIGNATURE_HEADER, verifySignature } from "@/lib/webhooks";
import { newTenant } from "../support/fixtures";
import { call, json, newUser, sessionCookie } from "../support/staff";

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  answered: number;
}

/** A business's receiver: records each delivery and answers with the next scripted status (then 204). */
async function startReceiver() {
  const received: Received[] = [];
  const statuses: number[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const answered = statuses.shift() ?? 204;
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), answered });
      res.writeHead(answered).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/leads`,
    received,
    failNext: (...codes: number[]) => statuses.push(...codes),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Drains until nothing is due; retries wait their backoff (a few milliseconds here). */
async function deliverAll(): Promise<void> {
  for (let i = 0; i < 200; i++) {
    await outboxIdle();
    const report = await drainOutbox();
    if (report.retried === 0 && report.delivered === 0 && report.failed === 0) {
      await new Promise((r) => setTimeout(r, 30));
      const again = await drainOutbox();
      if (again.retried + again.delivered + again.failed === 0) return;
    }
  }
}

describe("webhooks", () => {
  const settingsBefore = { ...process.env };
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    process.env.OUTBOX_BACKOFF_SECONDS = "0.005";
    receiver = await startReceiver();
  });

  afterAll(async () => {
    await outboxIdle();
    await receiver.close();
    process.env = settingsBefore;
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
});
