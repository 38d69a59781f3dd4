import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
const root = path.resolve("app/open-api");

/** Every route.ts under app/open-api, found by walking the folder rather than listed by hand. */
function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(full);
    return entry.name === "route.ts" ? [full] : [];
  });
}

describe("every route under /open-api", () => {
  const files = routeFiles(root);

  it("are found", () => {
    expect(files.map((f) => path.relative(root, f)).sort()).toEqual([
      "[[...path]]/route.ts",
      "auth/test/route.ts",
      "leads/[id]/route.ts",
      "leads/route.ts",
      "openapi.json/route.ts",
    ]);
  });

  for (const file of files) {
    it(`${path.relative(root, file)} answers every method itself, in JSON with the API version`, async () => {
      const mod = (await import(file)) as Record<string, unknown>;
      for (const method of METHODS) {
        const handler = mod[method] as
          ((req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>) | undefined;
        expect(typeof handler, `${method} exported`).toBe("function");
        // Anonymous requests: a handler either refuses (401/404/405) or serves the public document.
        const response = await handler!(new Request("http://127.0.0.1/open-api/x", { method }), {
          params: Promise.resolve({ id: "x", path: [] as unknown as string }),
        });
        expect(response.headers.get("rotor-api-version")).toBe("1.1.0");
        if (response.status !== 204) {
          expect(response.headers.get("content-type")).toContain("application/json");
          await response.json();
        } else {
          expect(method).toBe("OPTIONS");
          expect(response.headers.get("allow")).toContain("GET");
        }
      }
    });
  }
});
