import type { LookupAddress } from "node:dns";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as outboxRoute from "@/app/api/admin/outbox/route";
import * as webhooksRoute from "@/app/api/admin/webhooks/route";
import { getDb } from "@/lib/db/client";
import { outbox, webhookEndpoints } from "@/lib/db/schema";
import { outboxIdle } from "@/lib/outbox/kick";
import { drainOutbox } from "@/lib/outbox/worker";
import { postWebhook } from "@/lib/webhooks";
import { addressPolicy } from "@/lib/webhooks/address";
import { NOT_ALLOWED } from "@/lib/webhooks/send";
import { newTenant } from "../support/fixtures";
import { withSettings } from "../support/settings";
import { call, json, newUser, sessionCookie } from "../support/staff";
import { waitFor } from "../support/wait-for";
import { type Receiver, startReceiver } from "../support/webhook-receiver";

/**
 * Where webhooks may go, with no host allowed by the operator (WEBHOOK_ALLOWED_HOSTS empty here;
 * the other test files allow their loopback receivers). Every receiver below really listens, on
 * loopback: what it does not receive was refused, not lost.
 */
describe("webhook addresses", () => {
  let receiver: Receiver;
  withSettings({ WEBHOOK_ALLOWED_HOSTS: "", OUTBOX_BACKOFF_SECONDS: "0.001" });

  beforeAll(async () => {
    receiver = await startReceiver();
  });

  afterAll(async () => {
    await outboxIdle();
    await receiver.close();
  });

  /** One delivery as the outbox would hand it over, for postWebhook called directly. */
  const item = {
    id: 1,
    event: "lead.created",
    createdAt: new Date(),
    sequence: "endpoint:lead",
    payload: { api_lead: { id: "lead-1", name: "Address Test" } },
  };
  const endpoint = (url: string) => ({ url, secret: "whsec_addresses" });

  it("refuses, when an admin adds it, an endpoint whose host is a loopback, private, link-local or otherwise non-public address, in any spelling", async () => {
    const tenant = await newTenant();
    const cookie = await sessionCookie(await newUser(tenant.company.id, "admin"));
    const refused = [
      "http://127.0.0.1/hooks",
      "http://127.1:8080/hooks",
      "http://localhost:3000/hooks",
      "http://LOCALHOST./hooks",
      "http://api.localhost/hooks",
      "http://[::1]/hooks",
      "http://[::ffff:127.0.0.1]/hooks",
      "http://2130706433/hooks",
      "http://0x7f000001/hooks",
      "http://017700000001/hooks",
      "http://0.0.0.0:9200/",
      "http://10.0.0.8/hooks",
      "http://172.16.0.1/hooks",
      "http://172.31.255.254/hooks",
      "http://192.168.1.10/hooks",
      "http://169.254.169.254/latest/meta-data/",
      "http://100.100.100.200/latest/meta-data/",
      "http://[fd00::1]/hooks",
      "http://[fe80::1]/hooks",
      "http://224.0.0.1/hooks",
      "http://[ff02::1]/hooks",
      "http://[::ffff:10.0.0.1]/hooks",
    ];
    for (const url of refused) {
      const response = await call(webhooksRoute, "/api/admin/webhooks", {
        method: "POST",
        cookie,
        body: { url },
      });
      expect({ url, status: response.status }).toEqual({ url, status: 400 });
      expect(await json(response)).toEqual({
        status: "error",
        message: "Validation failed",
        errors: [
          {
            field: "url",
            message:
              "Must be a public address: loopback, private, link-local and similar addresses are refused (an internal receiver needs its host in WEBHOOK_ALLOWED_HOSTS)",
          },
        ],
      });
    }
    // A public address, and a name (judged when connecting, since what it resolves to may change).
    for (const url of ["https://hooks.example.com/leads", "http://93.184.216.34/hooks"]) {
      const response = await call(webhooksRoute, "/api/admin/webhooks", {
        method: "POST",
        cookie,
        body: { url },
      });
      expect({ url, status: response.status }).toEqual({ url, status: 201 });
    }
    const db = await getDb();
    const stored = await db
      .select({ url: webhookEndpoints.url })
      .from(webhookEndpoints)
      .where(eq(webhookEndpoints.companyId, tenant.company.id));
    expect(stored.map((e) => e.url).sort()).toEqual([
      "http://93.184.216.34/hooks",
      "https://hooks.example.com/leads",
    ]);
  });

  it("refuses at connection, on every attempt, endpoints that reach this machine, and the log says only that the address is not allowed", async () => {
    const tenant = await newTenant();
    const cookie = await sessionCookie(await newUser(tenant.company.id, "admin"));
    // Endpoints added before these rules, stored as they were: the receiver listens on 127.0.0.1.
    const { port } = receiver;
    const urls = [
      `http://localhost:${port}/hooks`,
      `http://127.0.0.1:${port}/hooks`,
      `http://[::ffff:127.0.0.1]:${port}/hooks`,
      `http://2130706433:${port}/hooks`,
      `http://0x7f000001:${port}/hooks`,
      `http://0.0.0.0:${port}/hooks`,
      `http://[::1]:${port}/hooks`,
    ];
    const db = await getDb();
    await db
      .insert(webhookEndpoints)
      .values(urls.map((url) => ({ companyId: tenant.company.id, url, secret: "whsec_before" })));
    const before = receiver.received.length;
    expect((await tenant.api.post({ name: "Loopback Lead", phone: "+16125550401" })).status).toBe(201);

    const attempts = async () =>
      db
        .select({ attempts: outbox.attempts })
        .from(outbox)
        .where(and(eq(outbox.companyId, tenant.company.id), eq(outbox.kind, "webhook")));
    await waitFor(
      "three attempts at each endpoint",
      async () => {
        await drainOutbox();
        const items = await attempts();
        return items.length === urls.length && items.every((i) => i.attempts >= 3);
      },
      10_000,
    );
    expect(receiver.received.length).toBe(before);

    const log = await json<{ data: { status: string; lastStatus: number | null; lastError: string }[] }>(
      await call(outboxRoute, "/api/admin/outbox?kind=webhook", { cookie }),
    );
    expect(log.data).toHaveLength(urls.length);
    for (const entry of log.data) {
      expect(entry).toMatchObject({ status: "pending", lastStatus: null, lastError: NOT_ALLOWED });
    }
  });

  it("resolves a name on each attempt, as the connection is made, and refuses it when any address it resolves to is not public", async () => {
    // Names are not resolved when an endpoint is added: what they point at may change by the time
    // a delivery goes out (DNS rebinding). The answer given here is the one the connection uses.
    const url = `http://hooks.example.test:${receiver.port}/hooks`;
    const before = receiver.received.length;
    const answers: LookupAddress[][] = [
      [{ address: "127.0.0.1", family: 4 }],
      [{ address: "::ffff:127.0.0.1", family: 6 }],
      [{ address: "::1", family: 6 }],
      [{ address: "0.0.0.0", family: 4 }],
      [{ address: "10.1.2.3", family: 4 }],
      [{ address: "172.20.0.5", family: 4 }],
      [{ address: "192.168.0.20", family: 4 }],
      [{ address: "169.254.169.254", family: 4 }],
      [{ address: "100.100.100.200", family: 4 }],
      [{ address: "fd12:3456::1", family: 6 }],
      [{ address: "fe80::1", family: 6 }],
      [{ address: "239.1.2.3", family: 4 }],
      // A public answer with a private one beside it is refused whole.
      [
        { address: "93.184.216.34", family: 4 },
        { address: "127.0.0.1", family: 4 },
      ],
    ];
    let asked = 0;
    for (const answer of answers) {
      const resolve = async (hostname: string) => {
        expect(hostname).toBe("hooks.example.test");
        asked++;
        return answer;
      };
      const sent = await postWebhook(endpoint(url), item, addressPolicy({ allowedHosts: [], resolve }));
      expect({ answer, sent }).toEqual({ answer, sent: { ok: false, error: NOT_ALLOWED } });
    }
    expect(asked).toBe(answers.length);
    expect(receiver.received.length).toBe(before);
  });

  it("lets through a host the operator allowed: a named loopback receiver", async () => {
    const url = `http://localhost:${receiver.port}/hooks`;
    const before = receiver.received.length;
    expect(await postWebhook(endpoint(url), item, addressPolicy({ allowedHosts: [] }))).toEqual({
      ok: false,
      error: NOT_ALLOWED,
    });
    expect(receiver.received.length).toBe(before);
    expect(await postWebhook(endpoint(url), item, addressPolicy({ allowedHosts: ["localhost"] }))).toEqual({
      ok: true,
      status: 204,
    });
    expect(receiver.received.length).toBe(before + 1);
    expect(receiver.received.at(-1)!.headers["x-portal-event"]).toBe("lead.created");
    // Allowing an address allows it in every spelling, and nothing else.
    const allowed = addressPolicy({ allowedHosts: ["127.0.0.1"] });
    expect(await postWebhook(endpoint(`http://0x7f000001:${receiver.port}/hooks`), item, allowed)).toEqual({
      ok: true,
      status: 204,
    });
    expect(await postWebhook(endpoint(url), item, allowed)).toEqual({ ok: false, error: NOT_ALLOWED });
    expect(receiver.received.length).toBe(before + 2);
  });

  it("does not follow a redirect: a receiver that points the delivery at loopback sends it nowhere", async () => {
    const target = await startReceiver({ host: "127.0.0.2" });
    const redirecting = await startReceiver({
      answer: (res, delivery) => {
        delivery.answered = 307;
        res.writeHead(307, { location: target.url }).end();
      },
    });
    try {
      // The redirecting receiver itself is allowed; where it points is not reached either way.
      const policy = addressPolicy({ allowedHosts: ["127.0.0.1"] });
      expect(await postWebhook(endpoint(redirecting.url), item, policy)).toEqual({
        ok: false,
        error: "not delivered: the receiver answered with a redirect (3xx), which is not followed",
      });
      expect(redirecting.received).toHaveLength(1);
      expect(target.received).toHaveLength(0);
    } finally {
      await Promise.all([target.close(), redirecting.close()]);
    }
  });
});
