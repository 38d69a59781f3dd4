import { readFileSync } from "node:fs";
import createClient from "openapi-fetch";
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import { CLIENT_TYPES_FILE, clientTypes, servedDocument } from "@/scripts/openapi-document";
import type { components, paths } from "../support/open-api-types";
import { type AppProcess, apiKeyFor, spawnApp } from "../support/spawn-app";
import { embeddedDataDir } from "../support/stores";

type Schemas = components["schemas"];

/** The stored lead of a POST answer: a key with leads:read gets it whole. */
function storedLead(answer: Schemas["UpsertAnswer"] | undefined): Schemas["UpsertedLead"] {
  if (answer === undefined || !("created_at" in answer)) throw new Error("expected the stored lead");
  return answer;
}

describe("a client generated from the served OpenAPI document", () => {
  it("is the committed one: openapi-typescript makes the same types of the document served now", async () => {
    const regenerated = await clientTypes(await servedDocument());
    // On a difference, `npm run openapi:types` rewrites the file; its diff shows what changed.
    expect(regenerated).toBe(readFileSync(CLIENT_TYPES_FILE, "utf8"));
  });

  describe("against the route handlers over HTTP, in an app process of its own", () => {
    const env = { ...process.env, DATA_DIR: embeddedDataDir(), NODE_ENV: "test" as const };
    const company = `oa-${Date.now().toString(36)}`;
    let app: AppProcess;
    let key: string;
    let writeOnlyKey: string;

    beforeAll(async () => {
      key = await apiKeyFor(env, company, "openapi-client");
      writeOnlyKey = await apiKeyFor(env, company, "openapi-client-write-only", "leads:write");
      app = await spawnApp(env);
    });

    afterAll(async () => {
      await app?.stop();
    });

    const api = (apiKey: string) =>
      createClient<paths>({ baseUrl: `${app.base}/open-api`, headers: { "x-api-key": apiKey } });

    it("creates, updates, lists and reads a lead with typed requests and answers", async () => {
      const created = await api(key).POST("/leads", {
        body: {
          name: "Ann Typed",
          phone: "(612) 555-0171",
          follow_up_date: "2026-05-01",
          priority: "high",
          projected_value: 2500,
          tags: ["gutter"],
        },
      });
      expect(created.response.status).toBe(201);
      const lead = storedLead(created.data);
      expectTypeOf(lead.created_at).toEqualTypeOf<string>();
      expectTypeOf(lead.priority).toEqualTypeOf<"low" | "medium" | "high" | null>();
      expect(lead).toMatchObject({
        name: "Ann Typed",
        phone: "+16125550171",
        follow_up_date: "2026-05-01T00:00:00.000Z",
        priority: "high",
        tags: ["gutter"],
        archived: false,
        message: "Lead created successfully",
        status: "success",
      });

      const updated = await api(key).POST("/leads", { body: { phone: "612.555.0171", tags: ["roof"] } });
      expect(updated.response.status).toBe(200);
      expect(storedLead(updated.data)).toMatchObject({
        id: lead.id,
        tags: ["gutter", "roof"],
        message: "Lead updated successfully",
      });

      // limit and archived go as the integer and boolean the document declares; the wire is the same.
      const list = await api(key).GET("/leads", {
        params: { query: { search: "555-0171", limit: 10, page: 1, archived: false } },
      });
      expect(list.response.url).toContain("limit=10&page=1&archived=false");
      expect(list.response.headers.get("x-cache")).toMatch(/^(HIT|MISS)$/);
      expectTypeOf(list.data!.pagination.has_more).toEqualTypeOf<boolean>();
      expectTypeOf(list.data!.data).toEqualTypeOf<Schemas["Lead"][]>();
      expect(list.data!.pagination).toEqual({ has_more: false, limit: 10, page: 1, total: 1 });
      expect(list.data!.data.map((l) => [l.id, l.tags])).toEqual([[lead.id, ["gutter", "roof"]]]);

      const read = await api(key).GET("/leads/{id}", { params: { path: { id: lead.id } } });
      expectTypeOf(read.data!.data).toEqualTypeOf<Schemas["Lead"]>();
      expect(read.data).toEqual({ data: list.data!.data[0], status: "success" });

      const auth = await api(key).GET("/auth/test");
      expectTypeOf(auth.data!.scopes).toEqualTypeOf<("leads:read" | "leads:write")[]>();
      expect(auth.data!.scopes).toEqual(["leads:read", "leads:write"]);
    });

    it("types the error answers", async () => {
      const missing = await api(key).GET("/leads/{id}", {
        params: { path: { id: "00000000-0000-4000-8000-000000000000" } },
      });
      expect(missing.data).toBeUndefined();
      expectTypeOf(missing.error!).toEqualTypeOf<Schemas["Error"]>();
      expect([missing.response.status, missing.error]).toEqual([
        404,
        { status: "error", message: "Not found" },
      ]);

      const invalid = await api(key).POST("/leads", { body: { email: "not an email" } });
      expect([invalid.response.status, invalid.error?.errors]).toEqual([
        400,
        [{ field: "email", message: "Invalid email format" }],
      ]);
    });

    it("gives a key without leads:read the answer the document declares for it: the id, the outcome and what it sent", async () => {
      const stored = storedLead(
        (await api(key).POST("/leads", { body: { name: "Bo Stored", phone: "(612) 555-0172" } })).data,
      );
      const sent = { phone: "612.555.0172", tags: ["spring"] };
      const answer = await api(writeOnlyKey).POST("/leads", { body: sent });
      expect(answer.response.status).toBe(200);
      expect(answer.data).toEqual({
        ...sent,
        id: stored.id,
        message: "Lead updated successfully",
        status: "success",
      });
      expect(answer.data && "created_at" in answer.data).toBe(false);
    });
  });
});
