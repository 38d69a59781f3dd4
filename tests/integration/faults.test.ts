import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONTACT_FORM } from "@/lib/forms/schema";
import { createForm } from "@/lib/forms/repository";
import { newTenant } from "../support/fixtures";
import { type AppProcess, spawnApp } from "../support/spawn-app";
import { startTcpProxy } from "../support/tcp-proxy";
import { waitFor } from "../support/wait-for";

// Cutting the real servers needs them: this runs in the PostgreSQL + Redis pass of the suite.
const shared = Boolean(process.env.DATABASE_URL && process.env.REDIS_URL);

/** Asks until the answer has the wanted status (a reconnect takes a moment), at most 30 s. */
async function until(call: () => Promise<Response>, status: number): Promise<Response> {
  let last: Response | undefined;
  await waitFor(
    `an answer with status ${status}`,
    async () => {
      last = await call();
      if (last.status === status) return true;
      await last.arrayBuffer();
      return false;
    },
    30_000,
    200,
  );
  return last!;
}

describe.runIf(shared)("faults: the database or the KV goes away, and comes back", () => {
  let app: AppProcess;
  let pg: Awaited<ReturnType<typeof startTcpProxy>>;
  let redis: Awaited<ReturnType<typeof startTcpProxy>>;
  let key: string;
  let slug: string;

  beforeAll(async () => {
    const database = new URL(process.env.DATABASE_URL!);
    const kv = new URL(process.env.REDIS_URL!);
    pg = await startTcpProxy({ host: database.hostname, port: Number(database.port || 5432) });
    redis = await startTcpProxy({ host: kv.hostname, port: Number(kv.port || 6379) });
    const tenant = await newTenant();
    key = tenant.key;
    slug = `faults-${tenant.company.slug}`;
    await createForm(tenant.company.id, { ...CONTACT_FORM, slug });
    app = await spawnApp({
      ...process.env,
      NODE_ENV: "test",
      DATABASE_URL: Object.assign(new URL(database.href), { host: `127.0.0.1:${pg.port}` }).href,
      REDIS_URL: Object.assign(new URL(kv.href), { host: `127.0.0.1:${redis.port}` }).href,
    });
  });

  afterAll(async () => {
    await app?.stop();
    await pg?.close();
    await redis?.close();
  });

  const api = (path: string, body?: unknown) =>
    fetch(`${app.base}/open-api${path}`, {
      method: body === undefined ? "GET" : "POST",
      headers: { "x-api-key": key, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const submitForm = (fields: Record<string, string>) =>
    fetch(`${app.base}/api/intake/${slug}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields),
      redirect: "manual",
    });
  const person = () => `+1612${String(Math.floor(2_000_000 + Math.random() * 7_000_000))}`;
  /** A JSON submission to the test form, as a business's own site sends it. */
  const submitJson = (body: Record<string, string>) =>
    fetch(`${app.base}/api/intake/${slug}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  /** The list at this path once it is served from the cache again (KV came back). */
  const untilCached = (path: string) =>
    until(async () => {
      const response = await api(path);
      return response.headers.get("x-cache") === "HIT" ? response : new Response(null, { status: 599 });
    }, 200);

  it("without KV, the API, the intake and lists keep serving, limits counted in process, with one warning", async () => {
    expect((await api("/leads", { name: "Before Cut", phone: person() })).status).toBe(201);
    await redis.cut();
    const created = await api("/leads", { name: "Without KV", phone: person() });
    expect(created.status).toBe(201);
    expect(created.headers.get("x-ratelimit-remaining")).toMatch(/^\d+$/);
    for (let i = 0; i < 3; i++) {
      const list = await api(`/leads?search=${encodeURIComponent("Without KV")}`);
      expect(list.status).toBe(200);
      expect(list.headers.get("x-cache")).toBe("MISS");
      expect(((await list.json()) as { pagination: { total: number } }).pagination.total).toBe(1);
    }
    const intake = await submitJson({ name: "Form Without KV", phone: person() });
    expect(intake.status).toBe(201);
    expect(app.errors().match(/\[kv\] unreachable/g)).toHaveLength(1);

    await redis.restore();
    // Back without a restart: lists are cached again.
    await until(() => api(`/leads?search=${encodeURIComponent("Without KV")}`), 200);
    const again = await untilCached(`/leads?search=${encodeURIComponent("Without KV")}&limit=7`);
    expect(again.headers.get("x-cache")).toBe("HIT");
    expect(app.errors()).toContain("[kv] reachable again");
  }, 120_000);

  it("a KV that hangs with its connection open is given up on after 1 s, and used again once it answers", async () => {
    const said = (pattern: RegExp) => app.errors().match(pattern)?.length ?? 0;
    const [wentBefore, cameBackBefore] = [said(/\[kv\] unreachable/g), said(/\[kv\] reachable again/g)];
    const search = `Hung KV ${randomUUID().slice(0, 6)}`;
    expect((await api("/leads", { name: search, phone: person() })).status).toBe(201);
    redis.hang();
    const created = await api("/leads", { name: `${search} B`, phone: person() });
    expect(created.status).toBe(201);
    const list = await api(`/leads?search=${encodeURIComponent(search)}`);
    expect(list.status).toBe(200);
    expect(list.headers.get("x-cache")).toBe("MISS");
    expect(((await list.json()) as { pagination: { total: number } }).pagination.total).toBe(2);
    const intake = await submitJson({ name: `${search} C`, phone: person() });
    expect(intake.status).toBe(201);
    expect(said(/\[kv\] unreachable/g)).toBe(wentBefore + 1);

    redis.resume();
    const again = await untilCached(`/leads?search=${encodeURIComponent(search)}&limit=9`);
    expect(again.headers.get("x-cache")).toBe("HIT");
    expect(((await again.json()) as { pagination: { total: number } }).pagination.total).toBe(3);
    expect(said(/\[kv\] reachable again/g)).toBe(cameBackBefore + 1);
  }, 120_000);

  it("without the database, the API answers 503 with Retry-After and the form keeps what was typed", async () => {
    await pg.cut();
    const refused = await api("/leads", { name: "Without DB", phone: person() });
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("5");
    expect(await refused.json()).toEqual({
      status: "error",
      message: "The service is unavailable; try again shortly",
      error_code: "SERVICE_UNAVAILABLE",
    });
    const typed = `Visitor ${randomUUID().slice(0, 6)}`;
    const page = await submitForm({ name: typed, phone: "(612) 555-0199", notes: "Back gutter" });
    expect(page.status).toBe(503);
    const html = await page.text();
    expect(html).toContain("please send it again in a minute");
    expect(html).toContain(`value="${typed}"`);
    expect(html).toContain("Back gutter");
    expect(app.errors()).not.toContain(typed);

    await pg.restore();
    // Back without a restart.
    const created = await until(() => api("/leads", { name: "After DB", phone: person() }), 201);
    expect(created.status).toBe(201);
    expect((await submitForm({ name: typed, phone: "(612) 555-0199" })).status).toBe(303);
  }, 120_000);
});
