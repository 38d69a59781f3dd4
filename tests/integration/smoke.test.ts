import { describe, expect, it } from "vitest";
import { newTenant } from "../support/fixtures";

describe("smoke", () => {
  it("creates and lists a lead", async () => {
    const { api } = await newTenant();
    const created = await api.post({ name: "Ada", phone: "(612) 555-0100", tags: ["a"] });
    expect(created.status).toBe(201);
    const list = await api.list();
    expect(list.status).toBe(200);
    console.log(JSON.stringify(created.body), JSON.stringify(list.body).slice(0, 300));
  });
});
