import { describe, expect, it } from "vitest";
import { GET } from "@/app/open-api/openapi.json/route";
import { leadInputSchema } from "@/lib/leads/schema";
import { client, newTenant } from "../support/fixtures";

type Json = Record<string, unknown>;

interface Header {
  required: boolean;
}
interface Response {
  headers: Record<string, Header>;
  content: { "application/json": { schema: { $ref: string } } };
}
interface Operation {
  operationId: string;
  description?: string;
  parameters: ({ $ref: string } | { name: string; in: string; schema: Json })[];
  requestBody?: { content: { "application/json": { schema: { $ref: string } } } };
  responses: Record<string, Response | { $ref: string }>;
}
interface Doc {
  openapi: string;
  info: Json;
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, Json & { properties?: Json; required?: string[] }>;
    responses: Record<string, Response>;
    parameters: Record<string, { name: string; in: string; schema: Json }>;
  };
}

async function servedDocument(): Promise<Doc> {
  const response = await GET();
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("application/json");
  return (await response.json()) as Doc;
}

const ref = <T>(doc: Doc, value: T | { $ref: string }): T => {
  if (typeof value !== "object" || value === null || !("$ref" in value)) return value;
  const [, , section, name] = value.$ref.split("/");
  return (doc.components as unknown as Record<string, Record<string, T>>)[section!]![name!]!;
};

const RATE_LIMIT = ["X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"];

/** Each header an answer declares, and whether it always comes (true) or only sometimes (false). */
function declaredHeaders(doc: Doc, path: string, method: string, status: string): Record<string, boolean> {
  const response = ref<Response>(doc, doc.paths[path]![method]!.responses[status]!);
  return Object.fromEntries(Object.entries(response.headers).map(([name, h]) => [name, h.required]));
}

const LEAD_FIELDS = [
  "id",
  "name",
  "email",
  "phone",
  "address_street1",
  "address_street2",
  "address_city",
  "address_state",
  "address_zip",
  "address_country",
  "property_street1",
  "property_street2",
  "property_city",
  "property_state",
  "property_zip",
  "property_country",
  "follow_up_date",
  "notes",
  "priority",
  "projected_value",
  "service_type",
  "source",
  "lead_source",
  "stage",
  "tags",
  "archived",
  "archived_at",
  "assigned_to",
  "created_at",
  "location",
  "value_score",
];

const INPUT_FIELDS = [
  "id",
  "name",
  "email",
  "phone",
  "address_street1",
  "address_street2",
  "address_city",
  "address_state",
  "address_zip",
  "address_country",
  "follow_up_date",
  "notes",
  "priority",
  "projected_value",
  "service_type",
  "source",
  "stage",
  "tags",
];

describe("GET /open-api/openapi.json", () => {
  it("names every operation and the statuses each can answer", async () => {
    const doc = await servedDocument();
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info).toMatchObject({ version: "1.1.0", license: { name: "MIT", identifier: "MIT" } });
    const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => [
        `${method.toUpperCase()} ${path}`,
        op.operationId,
        Object.keys(op.responses),
      ]),
    );
    expect(operations).toEqual([
      [
        "POST /leads",
        "createOrUpdateLead",
        ["200", "201", "400", "401", "403", "404", "413", "429", "500", "503"],
      ],
      ["GET /leads", "listLeads", ["200", "400", "401", "403", "429", "500", "503"]],
      ["GET /leads/{id}", "getLead", ["200", "400", "401", "403", "404", "429", "500", "503"]],
      ["GET /auth/test", "testAuthentication", ["200", "400", "401", "429", "500", "503"]],
    ]);
  });

  it("declares the headers of each answer, with the rate-limit headers wherever the key has been counted", async () => {
    const doc = await servedDocument();
    const always = (...names: string[]) => Object.fromEntries(names.map((n) => [n, true]));
    const maybe = (...names: string[]) => Object.fromEntries(names.map((n) => [n, false]));
    const version = always("rotor-api-version");
    const counted = { ...version, ...always(...RATE_LIMIT) };
    const expected: Record<string, Record<string, boolean>> = {
      "200": counted,
      "201": counted,
      "400": { ...version, ...maybe(...RATE_LIMIT) },
      "401": version,
      "403": counted,
      "404": counted,
      "413": counted,
      "429": { ...counted, ...always("Retry-After") },
      "500": { ...version, ...maybe(...RATE_LIMIT) },
      "503": { ...version, ...maybe(...RATE_LIMIT), ...always("Retry-After") },
    };
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        for (const status of Object.keys(op.responses)) {
          const cached = op.operationId === "listLeads" && status === "200" ? always("x-cache") : {};
          expect([op.operationId, status, declaredHeaders(doc, path, method, status)]).toEqual([
            op.operationId,
            status,
            { ...expected[status], ...cached },
          ]);
        }
      }
    }
  });

  it("gives the answers the headers it declares as always there", async () => {
    const doc = await servedDocument();
    const { key, api } = await newTenant({ dailyLimit: 20 });
    const writeOnly = await newTenant({ scopes: ["leads:write"] });
    const spent = await newTenant({ dailyLimit: 1 });
    await spent.api.authTest();
    const created = await api.post({ name: "Header Check", phone: "(612) 555-0140" });
    const id = (created.body as { id: string }).id;
    const answers: [string, string, { status: number; headers: Headers }][] = [
      ["/leads", "post", created],
      ["/leads", "post", await api.post({ phone: "612.555.0140" })],
      ["/leads", "post", await api.post({ email: "not an email" })],
      ["/leads", "post", await api.post({ id: "00000000-0000-4000-8000-000000000000" })],
      ["/leads", "post", await api.post({ notes: "x".repeat(70_000) })],
      ["/leads", "get", await api.list({ limit: 5 })],
      ["/leads", "get", await writeOnly.api.list()],
      ["/leads", "get", await client(null).list()],
      ["/leads", "get", await spent.api.list()],
      ["/leads/{id}", "get", await api.get(id)],
      ["/leads/{id}", "get", await client(key, { "rotor-api-version": "2.0.0" }).get(id)],
      ["/auth/test", "get", await api.authTest()],
    ];
    expect(answers.map(([, , answer]) => answer.status)).toEqual([
      201, 200, 400, 404, 413, 200, 403, 401, 429, 200, 400, 200,
    ]);
    for (const [path, method, answer] of answers) {
      const declared = declaredHeaders(doc, path, method, String(answer.status));
      const promised = Object.keys(declared).filter((name) => declared[name]);
      const missing = promised.filter((name) => answer.headers.get(name) === null);
      expect([method, path, answer.status, missing]).toEqual([method, path, answer.status, []]);
    }
  });

  it("documents the list parameters as Rotor does: limit and page integers, archived a boolean", async () => {
    const doc = await servedDocument();
    const parameters = doc.paths["/leads"]!.get!.parameters.map((p) => {
      const { name, in: where, schema } = ref<{ name: string; in: string; schema: Json }>(doc, p);
      return [name, where, schema];
    });
    expect(parameters).toEqual([
      ["rotor-api-version", "header", { type: "string", const: "1.1.0" }],
      ["limit", "query", { type: "integer", minimum: 1, maximum: 1000, default: 50 }],
      ["page", "query", { type: "integer", minimum: 1, maximum: 1_000_000_000_000, default: 1 }],
      ["archived", "query", { type: "boolean", default: false }],
      ["search", "query", { type: "string", maxLength: 200 }],
      ["stage", "query", { type: "string", maxLength: 500 }],
      ["tags", "query", { type: "string", maxLength: 5000 }],
    ]);
  });

  it("names its schemas, and the POST answer is the stored lead or, for a key without leads:read, what was sent", async () => {
    const doc = await servedDocument();
    const { schemas } = doc.components;
    expect(Object.keys(schemas).sort()).toEqual([
      "AuthTest",
      "Error",
      "FieldError",
      "Lead",
      "LeadEnvelope",
      "LeadInput",
      "LeadList",
      "UpsertAnswer",
      "UpsertedLead",
      "WriteOnlyUpsert",
    ]);
    const post = doc.paths["/leads"]!.post!;
    expect(post.description).toBe(
      "A key without leads:read gets back only id, message and status, and the fields it sent: never what was stored.",
    );
    expect(post.requestBody!.content["application/json"].schema).toEqual({
      $ref: "#/components/schemas/LeadInput",
    });
    expect(Object.keys(schemas.LeadInput!.properties!)).toEqual(INPUT_FIELDS);
    expect(schemas.LeadInput!.required).toBeUndefined();

    for (const status of ["200", "201"]) {
      expect(ref<Response>(doc, post.responses[status]!).content["application/json"].schema).toEqual({
        $ref: "#/components/schemas/UpsertAnswer",
      });
    }
    expect(schemas.UpsertAnswer).toEqual({
      oneOf: [
        { $ref: "#/components/schemas/UpsertedLead" },
        { $ref: "#/components/schemas/WriteOnlyUpsert" },
      ],
    });
    expect(schemas.Lead!.required).toEqual(LEAD_FIELDS);
    expect(schemas.UpsertedLead!.required).toEqual([...LEAD_FIELDS, "message", "status"]);
    expect(Object.keys(schemas.WriteOnlyUpsert!.properties!)).toEqual([...INPUT_FIELDS, "message", "status"]);
    expect(schemas.WriteOnlyUpsert).toMatchObject({
      required: ["id", "message", "status"],
      additionalProperties: false,
    });
  });

  it("accepts follow_up_date in the shapes the server reads: a date, a date-time with or without an offset", async () => {
    const doc = await servedDocument();
    const property = doc.components.schemas.LeadInput!.properties!.follow_up_date as { anyOf: Json[] };
    const { pattern } = property.anyOf[0] as { pattern: string };
    const samples = [
      "2026-05-01",
      "2026-05-01T15:00:00Z",
      "2026-05-01T15:00:00.250+02:00",
      "2026-05-01T15:00:00",
      "2026-05-01T15:00",
      "2026-05-01T15:00Z",
      "2026-05-01 15:00:00",
      "05/01/2026",
      "tomorrow",
    ];
    const byDocument = samples.map((v) => new RegExp(pattern).test(v));
    const byServer = samples.map((v) => leadInputSchema.shape.follow_up_date.safeParse(v).success);
    expect(byDocument).toEqual([true, true, true, true, true, false, false, false, false]);
    expect(byServer).toEqual(byDocument);
  });
});
