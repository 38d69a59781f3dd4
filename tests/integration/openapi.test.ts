import { describe, expect, it } from "vitest";
import { GET } from "@/app/open-api/openapi.json/route";
import { leadInputSchema, leadSchema } from "@/lib/leads/schema";

interface Doc {
  openapi: string;
  paths: Record<string, Record<string, Record<string, unknown>>>;
}

describe("GET /open-api/openapi.json", () => {
  it("is an OpenAPI 3.1 document of every route, with the handlers' own schemas", async () => {
    const response = await GET();
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/json");
    const doc = (await response.json()) as Doc;
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths).sort()).toEqual(["/auth/test", "/leads", "/leads/{id}"]);

    const post = doc.paths["/leads"]!.post as {
      requestBody: { content: { "application/json": { schema: { properties: Record<string, unknown> } } } };
      responses: Record<string, unknown>;
    };
    const bodyFields = Object.keys(post.requestBody.content["application/json"].schema.properties).sort();
    expect(bodyFields).toEqual(Object.keys(leadInputSchema.shape).sort());
    expect(Object.keys(post.responses)).toEqual(
      expect.arrayContaining(["200", "201", "400", "401", "403", "404", "413", "429", "500"]),
    );

    const created = post.responses["201"] as {
      content: { "application/json": { schema: { properties: Record<string, unknown> } } };
    };
    const responseFields = Object.keys(created.content["application/json"].schema.properties);
    expect(responseFields).toEqual(
      expect.arrayContaining([...Object.keys(leadSchema.shape), "message", "status"]),
    );

    const list = doc.paths["/leads"]!.get as {
      parameters: { name: string; schema: Record<string, unknown> }[];
    };
    const limit = list.parameters.find((p) => p.name === "limit")!;
    expect(limit.schema).toMatchObject({ description: "An integer from 1 to 1000; default 50" });
    expect(list.parameters.map((p) => p.name)).toEqual(
      expect.arrayContaining(["rotor-api-version", "archived", "limit", "page", "search", "stage", "tags"]),
    );
  });
});
