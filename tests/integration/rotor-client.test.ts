import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRotorClient } from "@/lib/rotor/client";
import { RotorRejectedError, RotorUnavailableError } from "@/lib/rotor/contract";
import { newTenant } from "../support/fixtures";
import { startRotorStandIn } from "../support/rotor-standin";
import { type AppProcess, apiKeyFor, spawnApp } from "../support/spawn-app";
import { embeddedDataDir } from "../support/stores";

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a failure");
}

describe("the Rotor client against this project's own /open-api, in a second app process", () => {
  const env = { ...process.env, DATA_DIR: embeddedDataDir(), NODE_ENV: "test" as const };
  let app: AppProcess;
  let key: string;

  beforeAll(async () => {
    key = await apiKeyFor(env, `rc-${Date.now().toString(36)}`, "rotor-client");
    app = await spawnApp(env);
  });

  afterAll(async () => {
    await app?.stop();
  });

  it("creates, updates, lists and reads leads with the contract's shapes", async () => {
    let sent = 0;
    const rotor = createRotorClient({
      baseUrl: `${app.base}/open-api/`,
      apiKey: key,
      onRequest: () => sent++,
    });
    const created = await rotor.upsertLead({ name: "Ann Client", phone: "(612) 555-0161", tags: ["gutter"] });
    expect(created.created).toBe(true);
    expect(created.lead).toMatchObject({ name: "Ann Client", phone: "+16125550161", tags: ["gutter"] });
    expect(created.lead).not.toHaveProperty("message");

    const updated = await rotor.upsertLead({ phone: "+1 612 555 0161", tags: ["roof"] });
    expect(updated).toMatchObject({
      created: false,
      lead: { id: created.lead.id, tags: ["gutter", "roof"] },
    });

    const list = await rotor.listLeads({ search: "555-0161", limit: 10 });
    expect(list.pagination).toEqual({ has_more: false, limit: 10, page: 1, total: 1 });
    expect(list.data[0]!.id).toBe(created.lead.id);
    expect((await rotor.getLead(created.lead.id)).name).toBe("Ann Client");
    expect(sent).toBe(4);
  });

  it("turns the API's errors into RotorRejectedErrors with the same status and body, without retrying them", async () => {
    let sent = 0;
    const rotor = createRotorClient({
      baseUrl: `${app.base}/open-api`,
      apiKey: key,
      onRequest: () => sent++,
    });
    const invalid = await failure(rotor.upsertLead({ email: "nope", priority: "urgent" }));
    expect(invalid).toBeInstanceOf(RotorRejectedError);
    expect((invalid as RotorRejectedError).status).toBe(400);
    expect((invalid as RotorRejectedError).body).toEqual({
      status: "error",
      message: "Validation failed",
      errors: [
        { field: "email", message: "Invalid email format" },
        { field: "priority", message: "Must be one of: low, medium, high" },
      ],
    });
    const missing = (await failure(
      rotor.getLead("00000000-0000-4000-8000-000000000000"),
    )) as RotorRejectedError;
    expect([missing.status, missing.body.message]).toEqual([404, "Not found"]);
    const wrongKey = createRotorClient({ baseUrl: `${app.base}/open-api`, apiKey: "lip_wrong" });
    expect(((await failure(wrongKey.listLeads())) as RotorRejectedError).body.error_code).toBe(
      "INVALID_API_KEY",
    );
    expect(sent).toBe(2);
  });
});

describe("the Rotor client against a fault-injecting stand-in", () => {
  let standIn: Awaited<ReturnType<typeof startRotorStandIn>>;
  let key: string;

  beforeAll(async () => {
    standIn = await startRotorStandIn();
    key = (await newTenant()).key;
  });

  afterAll(() => standIn?.close());

  /** A client whose waits are recorded instead of slept, with the jitter fixed at half. */
  function client(options: { timeoutMs?: number } = {}) {
    const waits: number[] = [];
    const rotor = createRotorClient({
      baseUrl: standIn.url,
      apiKey: key,
      backoffMs: 100,
      timeoutMs: options.timeoutMs ?? 5_000,
      sleep: async (ms) => {
        waits.push(ms);
      },
      random: () => 0.5,
    });
    return { rotor, waits };
  }

  const sentSince = (start: number) => standIn.requests.length - start;

  it("sends the key and the API version on every call", async () => {
    const start = standIn.requests.length;
    await client().rotor.listLeads();
    expect(standIn.requests[start]!.headers).toMatchObject({
      "x-api-key": key,
      "rotor-api-version": "1.1.0",
    });
  });

  it("retries 5xx answers with jittered exponential backoff, then succeeds", async () => {
    const { rotor, waits } = client();
    const start = standIn.requests.length;
    standIn.script({ kind: "status", status: 500 }, { kind: "status", status: 503 });
    const result = await rotor.upsertLead({ name: "Retry Me", phone: "6125550171" });
    expect(result.created).toBe(true);
    expect(sentSince(start)).toBe(3);
    // Full jitter: a random share (here half) of 100 ms, then of 200 ms.
    expect(waits).toEqual([50, 100]);
  });

  it("retries dropped connections, and answers slower than usual but within the timeout are kept", async () => {
    const { rotor, waits } = client({ timeoutMs: 5_000 });
    const start = standIn.requests.length;
    standIn.script({ kind: "drop" }, { kind: "slow", ms: 300 });
    expect((await rotor.listLeads()).status).toBe("success");
    expect(sentSince(start)).toBe(2);
    expect(waits).toEqual([50]);
  });

  it("gives up after its retries when Rotor never answers, saying so", async () => {
    const { rotor, waits } = client({ timeoutMs: 200 });
    const start = standIn.requests.length;
    standIn.script({ kind: "hang" }, { kind: "hang" }, { kind: "hang" }, { kind: "hang" });
    const error = await failure(rotor.listLeads());
    expect(error).toBeInstanceOf(RotorUnavailableError);
    expect((error as Error).message).toBe("Rotor timed out after 4 attempts");
    expect(sentSince(start)).toBe(4);
    expect(waits).toEqual([50, 100, 200]);
  });

  it("reports the last 5xx when every attempt fails", async () => {
    const { rotor } = client();
    standIn.script(...Array.from({ length: 4 }, () => ({ kind: "status" as const, status: 502 })));
    const error = (await failure(
      rotor.getLead("00000000-0000-4000-8000-000000000000"),
    )) as RotorUnavailableError;
    expect([error.message, error.status]).toEqual(["Rotor answered 502 after 4 attempts", 502]);
  });

  it("waits out a short 429's Retry-After, and fails at once on a long one (the daily quota)", async () => {
    const { rotor, waits } = client();
    let start = standIn.requests.length;
    standIn.script({ kind: "retry-after", seconds: 2 });
    expect((await rotor.listLeads()).status).toBe("success");
    expect(waits).toEqual([2000]);
    expect(sentSince(start)).toBe(2);

    start = standIn.requests.length;
    standIn.script({ kind: "retry-after", seconds: 3600 });
    const error = (await failure(rotor.listLeads())) as RotorRejectedError;
    expect(error).toBeInstanceOf(RotorRejectedError);
    expect([error.status, error.body.error_code, error.headers["retry-after"]]).toEqual([
      429,
      "RATE_LIMIT_EXCEEDED",
      "3600",
    ]);
    expect(sentSince(start)).toBe(1);
  });

  it("never retries a 4xx, and keeps Rotor's field messages", async () => {
    const { rotor, waits } = client();
    const start = standIn.requests.length;
    const body = {
      status: "error",
      message: "Validation failed",
      errors: [{ field: "phone", message: "Invalid phone number" }],
    };
    standIn.script({ kind: "status", status: 400, body });
    const error = (await failure(rotor.upsertLead({ phone: "12" }))) as RotorRejectedError;
    expect([error.status, error.body]).toEqual([400, body]);
    expect(sentSince(start)).toBe(1);
    expect(waits).toEqual([]);
  });

  it("refuses an answer that does not match the contract", async () => {
    const { rotor } = client();
    standIn.script({ kind: "junk" });
    const error = await failure(rotor.listLeads());
    expect(error).toBeInstanceOf(RotorUnavailableError);
    expect((error as Error).message).toBe("Rotor's answer did not match its contract");
  });
});
