import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { firstRunChecklist } from "@/lib/company/checklist";
import { getDb } from "@/lib/db/client";
import { users } from "@/lib/db/schema";
import { updateForm } from "@/lib/forms/repository";
import { submitJson, tenantWithForm } from "../support/forms";
import { newUser } from "../support/staff";

describe("the first run's checklist", () => {
  it("shows each step until the portal sees it done: a test lead, the embed, alerts, a colleague", async () => {
    const { admin, slug, company } = await tenantWithForm();
    const user = { ...admin, sessionVersion: 0 };
    const done = async () => Object.fromEntries((await firstRunChecklist(user)).map((s) => [s.id, s.done]));
    const steps = await firstRunChecklist(user);
    expect(steps.map((s) => [s.id, s.href, s.done])).toEqual([
      ["test-lead", `/f/${slug}`, false],
      ["embed", `/admin/forms/${slug}`, false],
      ["alerts", "/admin/account", false],
      ["colleague", "/admin/users", false],
    ]);

    expect((await submitJson(slug, { name: "Test Me", email: "me@example.com" })).status).toBe(201);
    expect(await done()).toEqual({ "test-lead": true, embed: false, alerts: false, colleague: false });
    await updateForm(slug, { allowedOrigins: ["https://www.example.com"] });
    const db = await getDb();
    await db
      .update(users)
      .set({ alerts: { leads: "all", email: true } })
      .where(eq(users.id, admin.id));
    await newUser(company.id, "member");
    expect(await done()).toEqual({ "test-lead": true, embed: true, alerts: true, colleague: true });
  });
});
