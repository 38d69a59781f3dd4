import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Portal, portalCommand, startPortal } from "./harness";

/**
 * What a stranger can do to the built app reached directly, with no proxy in front: `next start`
 * as a single-machine install runs it.
 */
let portal: Portal;
let readKey: string;
const PER_ADDRESS = 5;

beforeAll(async () => {
  portal = await startPortal((env) => {
    env.INTAKE_PER_IP_PER_HOUR = String(PER_ADDRESS);
    env.INTAKE_MIN_FILL_SECONDS = "0";
    readKey = portalCommand(env, "scripts/apikey.ts", ["create", "--name", "e2e", "--scopes", "leads:read"])
      .trim()
      .split("\n")
      .at(-1)!;
  });
});

afterAll(async () => {
  await portal?.stop();
});

/** A JSON submission to the default contact form, sent from a given loopback address. */
function submit(from: string, body: unknown, headers: Record<string, string> = {}): Promise<number> {
  const url = new URL("/api/intake/contact", portal.base);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method: "POST",
        localAddress: from,
        headers: { "content-type": "application/json", ...headers },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end(JSON.stringify(body));
  });
}

async function leadsNamed(prefix: string): Promise<string[]> {
  const response = await fetch(
    `${portal.base}/open-api/leads?${new URLSearchParams({ search: prefix, limit: "100" })}`,
    {
      headers: { "x-api-key": readKey },
    },
  );
  return ((await response.json()) as { data: { name: string }[] }).data.map((l) => l.name).sort();
}

describe("a client reaching the app directly", () => {
  it("cannot pass for other clients by sending X-Forwarded-For: the connection's address counts", async () => {
    const sent = PER_ADDRESS + 3;
    for (let i = 0; i < sent; i++) {
      const forged = { "x-forwarded-for": `198.51.100.${i + 1}`, "x-real-ip": `198.51.100.${i + 1}` };
      // Spam is answered as if accepted, so the answer says nothing; what was stored does.
      expect(
        await submit(
          "127.0.0.1",
          { name: `Forged ${i}`, email: `forged${i}@example.com`, consent: true },
          forged,
        ),
      ).toBe(201);
    }
    expect(await leadsNamed("Forged")).toHaveLength(PER_ADDRESS);

    // Another machine (here a second loopback address) has a count of its own.
    expect(
      await submit("127.0.0.2", { name: "Forged elsewhere", email: "elsewhere@example.com", consent: true }),
    ).toBe(201);
    expect(await leadsNamed("Forged elsewhere")).toEqual(["Forged elsewhere"]);
  });

  it("gets JSON with the version header from the API at a path ending in a slash; pages still redirect", async () => {
    for (const path of ["/open-api/leads/", "/open-api/auth/test/", "/open-api/nowhere/"]) {
      const response = await fetch(`${portal.base}${path}`, { redirect: "manual" });
      expect(response.headers.get("content-type"), path).toMatch(/^application\/json/);
      expect(response.headers.get("rotor-api-version"), path).toBe("1.1.0");
      expect(await response.json(), path).toMatchObject({ status: "error" });
    }
    const listed = await fetch(`${portal.base}/open-api/leads/?limit=1`, {
      headers: { "x-api-key": readKey },
    });
    expect(listed.status).toBe(200);
    expect(await listed.json()).toMatchObject({ status: "success", pagination: { limit: 1 } });

    const page = await fetch(`${portal.base}/admin/sign-in/`, { redirect: "manual" });
    expect(page.status).toBe(308);
    expect(new URL(page.headers.get("location")!, portal.base).pathname).toBe("/admin/sign-in");
  });
});
