import { createHash } from "node:crypto";
import { readdirSync } from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import * as passwordRoute from "@/app/api/admin/account/password/route";
import * as keyRoute from "@/app/api/admin/api-keys/[id]/route";
import * as keysRoute from "@/app/api/admin/api-keys/route";
import * as formRoute from "@/app/api/admin/forms/[slug]/route";
import * as bulkRoute from "@/app/api/admin/leads/bulk/route";
import * as exportRoute from "@/app/api/admin/leads/export/route";
import * as leadRoute from "@/app/api/admin/leads/[id]/route";
import * as leadsRoute from "@/app/api/admin/leads/route";
import * as usersRoute from "@/app/api/admin/users/route";
import * as userRoute from "@/app/api/admin/users/[id]/route";
import { oauthUserId } from "@/lib/auth/auth";
import { createFirstAdmin } from "@/lib/auth/users";
import { getDb } from "@/lib/db/client";
import { apiKeys } from "@/lib/db/schema";
import { createForm, findForm } from "@/lib/forms/repository";
import { CONTACT_FORM } from "@/lib/forms/schema";
import { client, fullLead, newTenant } from "../support/fixtures";
import { call, json, newUser, PASSWORD, sessionCookie, signIn } from "../support/staff";

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];
const SIGN_IN_REQUIRED = {
  status: "error",
  message: "Sign in required",
  error_code: "AUTHENTICATION_REQUIRED",
};

/** Every route handler file under app/api/admin, found on disk so that a new one cannot be missed. */
function adminRouteFiles(dir = path.resolve("app/api/admin")): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return adminRouteFiles(full);
    return entry.name === "route.ts" ? [full] : [];
  });
}

type Lead = Record<string, unknown> & { id: string; tags: string[] };
interface ListBody {
  data: Lead[];
  pagination: { total: number; has_more: boolean };
}

describe("the admin API refuses anonymous callers", () => {
  const files = adminRouteFiles();

  it("finds the admin routes on disk", () => {
    expect(files.length).toBeGreaterThanOrEqual(8);
  });

  it("answers 401 to every method of every admin route without a session, or with a forged one", async () => {
    const forged =
      "authjs.session-token=eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2Q0JDLUhTNTEyIn0..forged.forged.forged";
    let checked = 0;
    for (const file of files) {
      const mod = (await import(file)) as Record<string, unknown>;
      const params = { id: "00000000-0000-4000-8000-000000000000", slug: "contact" };
      for (const method of METHODS.filter((m) => typeof mod[m] === "function")) {
        for (const cookie of [undefined, forged]) {
          const res = await call(mod, "/api/admin/x", {
            method,
            params,
            cookie,
            body: method === "GET" ? undefined : {},
          });
          expect(res.status, `${method} ${file}`).toBe(401);
          expect(await json(res)).toEqual(SIGN_IN_REQUIRED);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(2 * files.length);
  });
});

describe("signing in", () => {
  it("signs in with the right password only (how attempts are limited: sign-in.test.ts)", async () => {
    const { company } = await newTenant();
    const user = await newUser(company.id, "admin");
    const wrong = await signIn(user.email, "not the password at all");
    expect(wrong.cookie).not.toContain("authjs.session-token");
    expect(wrong.response.headers.get("location")).toContain("error=CredentialsSignin");
    const right = await signIn(user.email.toUpperCase());
    expect(right.cookie).toContain("authjs.session-token");
    const res = await call(leadsRoute, "/api/admin/leads", { cookie: right.cookie });
    expect(res.status).toBe(200);
  });

  it("lets GitHub and Google sign in only people an admin has added, by a verified email", async () => {
    const { company } = await newTenant();
    const user = await newUser(company.id, "member");
    // GitHub cannot be reached from the tests: its list of the account's addresses is given here.
    const github = (emails: unknown) =>
      (async () => new Response(JSON.stringify(emails))) as unknown as typeof fetch;
    const verified = github([{ email: user.email, verified: true, primary: true }]);
    expect(await oauthUserId("github", { email: user.email.toUpperCase() }, "token", verified)).toBe(user.id);
    expect(
      await oauthUserId(
        "github",
        { email: user.email },
        "token",
        github([{ email: user.email, verified: false }]),
      ),
    ).toBeNull();
    expect(await oauthUserId("github", { email: user.email }, undefined, verified)).toBeNull();
    expect(await oauthUserId("github", { email: "stranger@example.com" }, "token", verified)).toBeNull();
    expect(await oauthUserId("github", {}, "token", verified)).toBeNull();
    expect(await oauthUserId("google", { email: user.email, email_verified: true }, "token")).toBe(user.id);
    expect(await oauthUserId("google", { email: user.email, email_verified: false }, "token")).toBeNull();
    expect(await oauthUserId("google", { email: user.email }, "token")).toBeNull();
    expect(await oauthUserId("gitlab", { email: user.email }, "token", verified)).toBeNull();
  });

  it("an unknown address is refused like a wrong password", async () => {
    const attempt = await signIn("nobody-here@example.com");
    expect(attempt.cookie).not.toContain("authjs.session-token");
    expect(attempt.response.headers.get("location")).toContain("error=CredentialsSignin");
  });

  it("creates the first admin only while there is no user at all", async () => {
    const { company } = await newTenant();
    await newUser(company.id, "admin");
    const second = await createFirstAdmin(company.id, {
      email: "late@example.com",
      name: null,
      password: PASSWORD,
      role: "admin",
    });
    expect(second).toBeNull();
  });
});

describe("the admin API for a signed-in user", () => {
  let tenant: Awaited<ReturnType<typeof newTenant>>;
  let adminCookie: string;

  beforeAll(async () => {
    tenant = await newTenant();
    adminCookie = await sessionCookie(await newUser(tenant.company.id, "admin"));
  });

  const list = async (query: string, cookie = adminCookie) => {
    const res = await call(leadsRoute, `/api/admin/leads?${query}`, { cookie });
    expect(res.status).toBe(200);
    return { cache: res.headers.get("x-cache"), body: await json<ListBody>(res) };
  };

  it("serves a repeated list from the cache, and a write makes it miss", async () => {
    const lead = (await tenant.api.post<Lead>(fullLead({ phone: "6125550101", email: "c1@example.com" })))
      .body;
    const query = "search=c1%40example&limit=10";
    expect((await list(query)).cache).toBe("MISS");
    const again = await list(query);
    expect(again.cache).toBe("HIT");
    expect(again.body.data.map((l) => l.id)).toEqual([lead.id]);

    const edit = await call(leadRoute, `/api/admin/leads/${lead.id}`, {
      method: "PATCH",
      params: { id: lead.id },
      cookie: adminCookie,
      body: { stage: "quoted" },
    });
    expect(edit.status).toBe(200);
    const after = await list(query);
    expect(after.cache).toBe("MISS");
    expect(after.body.data[0]!.stage).toBe("quoted");
    expect((await list(query)).cache).toBe("HIT");
    expect((await list(`${query}&refresh=1`)).cache).toBe("MISS");
  });

  it("edits a lead with the upsert's rules: validation, tags replaced, archive and unarchive", async () => {
    const lead = (
      await tenant.api.post<Lead>(
        fullLead({ phone: "6125550102", email: "e2@example.com", tags: ["a", "b"] }),
      )
    ).body;
    const patch = (body: unknown) =>
      call(leadRoute, `/api/admin/leads/${lead.id}`, {
        method: "PATCH",
        params: { id: lead.id },
        cookie: adminCookie,
        body,
      });

    const bad = await patch({ email: "not-an-email", priority: "urgent" });
    expect(bad.status).toBe(400);
    expect(await json(bad)).toEqual({
      status: "error",
      message: "Validation failed",
      errors: [
        { field: "email", message: "Invalid email format" },
        { field: "priority", message: "Must be one of: low, medium, high" },
      ],
    });

    const edited = await json<{ data: Lead }>(
      await patch({ tags: ["B", "c"], notes: null, phone: "+1 612-555-0199" }),
    );
    expect(edited.data.tags).toEqual(["B", "c"]);
    expect(edited.data.notes).toBeNull();
    expect(edited.data.phone).toBe("+16125550199");

    const archived = await json<{ data: Lead }>(await patch({ archived: true }));
    expect(archived.data.archived).toBe(true);
    expect(typeof archived.data.archived_at).toBe("string");
    expect((await list("search=e2%40example")).body.data).toEqual([]);
    expect((await list("search=e2%40example&archived=true")).body.data).toHaveLength(1);
    const restored = await json<{ data: Lead }>(await patch({ archived: false }));
    expect(restored.data.archived_at).toBeNull();

    const nobody = await patch({ assigned_to: "00000000-0000-4000-8000-000000000000" });
    expect(await json(nobody)).toEqual({
      status: "error",
      message: "Validation failed",
      errors: [{ field: "assigned_to", message: "No such user in this company" }],
    });
  });

  it("applies bulk actions to the selected leads", async () => {
    const a = (await tenant.api.post<Lead>({ name: "Bulk A", phone: "6125550111" })).body;
    const b = (await tenant.api.post<Lead>({ name: "Bulk B", phone: "6125550112" })).body;
    const other = await newTenant();
    const foreign = (await other.api.post<Lead>({ name: "Foreign", phone: "6125550113" })).body;
    const bulk = (body: unknown) =>
      call(bulkRoute, "/api/admin/leads/bulk", { method: "POST", cookie: adminCookie, body });

    expect(
      await json(await bulk({ ids: [a.id, b.id, foreign.id], action: "add_tag", value: "VIP" })),
    ).toEqual({
      updated: 2,
      status: "success",
    });
    await bulk({ ids: [a.id, b.id], action: "set_stage", value: "won" });
    const rows = (await list("search=bulk")).body.data;
    expect(rows.map((l) => [l.stage, l.tags])).toEqual([
      ["won", ["VIP"]],
      ["won", ["VIP"]],
    ]);
    await bulk({ ids: [a.id], action: "archive" });
    expect((await list("search=bulk")).body.data.map((l) => l.id)).toEqual([b.id]);
    expect((await other.api.get<{ data: Lead }>(foreign.id)).body.data.tags).toEqual([]);

    const refused = await bulk({ ids: [], action: "explode" });
    expect(refused.status).toBe(400);
    expect(await json(refused)).toEqual({
      status: "error",
      message: "Validation failed",
      errors: [
        { field: "ids", message: "Select at least one lead" },
        { field: "action", message: "Must be one of: archive, unarchive, add_tag, set_stage" },
      ],
    });
  });

  it("refuses a write posted from another origin", async () => {
    const res = await call(bulkRoute, "/api/admin/leads/bulk", {
      method: "POST",
      cookie: adminCookie,
      headers: { origin: "https://evil.example", host: "127.0.0.1:3000" },
      body: { ids: ["00000000-0000-4000-8000-000000000000"], action: "archive" },
    });
    expect(res.status).toBe(403);
  });

  it("takes writes only from its own origin, scheme included", async () => {
    // As Next.js hands an HTTPS deployment's request to the route behind its proxy.
    const write = (origin: string) =>
      call(bulkRoute, "/api/admin/leads/bulk", {
        method: "POST",
        cookie: adminCookie,
        headers: {
          origin,
          host: "portal.example",
          "x-forwarded-host": "portal.example",
          "x-forwarded-proto": "https",
        },
        body: { ids: ["00000000-0000-4000-8000-000000000000"], action: "archive" },
      });
    const plain = await write("http://portal.example");
    expect(plain.status).toBe(403);
    expect(await json(plain)).toEqual({
      status: "error",
      message: "Forbidden: cross-origin request",
      error_code: "FORBIDDEN",
    });
    expect((await write("https://portal.example:8443")).status).toBe(403);
    expect((await write("https://portal.example")).status).toBe(200);
  });

  it("answers alike for an address taken in this company or in another, and names neither", async () => {
    const other = await newTenant();
    const elsewhere = await newUser(other.company.id, "member");
    const here = await newUser(tenant.company.id, "member");
    const add = (email: string) =>
      call(usersRoute, "/api/admin/users", {
        method: "POST",
        cookie: adminCookie,
        body: { email, name: null, password: PASSWORD, role: "member" },
      });
    const answers = [];
    for (const email of [here.email, elsewhere.email, elsewhere.email.toUpperCase()]) {
      const response = await add(email);
      answers.push({ status: response.status, body: await json(response) });
    }
    expect(answers).toEqual(
      Array(3).fill({
        status: 400,
        body: {
          status: "error",
          message: "Validation failed",
          errors: [{ field: "email", message: "This email address cannot be used for a new user" }],
        },
      }),
    );
  });

  it("creates a key shown once, lists its use, and revokes it", async () => {
    const created = await call(keysRoute, "/api/admin/api-keys", {
      method: "POST",
      cookie: adminCookie,
      body: { name: "Zapier", scopes: ["leads:read"] },
    });
    expect(created.status).toBe(201);
    const { data } = await json<{ data: { id: string; key: string; prefix: string } }>(created);
    expect(data.key.startsWith(data.prefix)).toBe(true);
    const api = client(data.key);
    expect((await api.authTest()).status).toBe(200);
    expect((await api.list()).status).toBe(200);

    const listed = await json<{ data: Record<string, unknown>[] }>(
      await call(keysRoute, "/api/admin/api-keys", { cookie: adminCookie }),
    );
    const row = listed.data.find((k) => k.id === data.id)!;
    expect(row).toMatchObject({ name: "Zapier", scopes: ["leads:read"], requestsToday: 2, revokedAt: null });
    expect(JSON.stringify(listed)).not.toContain(data.key);
    // No limit given: API_DAILY_LIMIT, 1,000 by default.
    expect(row.dailyLimit).toBe(1000);
    // Only the key's SHA-256 is stored, never the key.
    const db = await getDb();
    const [stored] = await db.select().from(apiKeys).where(eq(apiKeys.id, data.id));
    expect(stored!.keyHash).toBe(createHash("sha256").update(data.key).digest("hex"));
    expect(JSON.stringify(stored)).not.toContain(data.key);

    const revoked = await call(keyRoute, `/api/admin/api-keys/${data.id}`, {
      method: "DELETE",
      params: { id: data.id },
      cookie: adminCookie,
    });
    expect(revoked.status).toBe(200);
    expect((await api.authTest()).body).toMatchObject({ error_code: "INVALID_API_KEY" });

    const badKey = await call(keysRoute, "/api/admin/api-keys", {
      method: "POST",
      cookie: adminCookie,
      body: { name: "", scopes: ["leads:delete"] },
    });
    expect(await json(badKey)).toEqual({
      status: "error",
      message: "Validation failed",
      errors: [
        { field: "name", message: "Required" },
        { field: "scopes", message: "Must be one of: leads:read, leads:write" },
      ],
    });
  });

  it("edits a form of the company and no other", async () => {
    const slug = `f-${tenant.company.id.slice(0, 8)}`;
    await createForm(tenant.company.id, { ...CONTACT_FORM, slug });
    const other = await newTenant();
    const foreignSlug = `f-${other.company.id.slice(0, 8)}`;
    await createForm(other.company.id, { ...CONTACT_FORM, slug: foreignSlug });
    const patch = (s: string, body: unknown) =>
      call(formRoute, `/api/admin/forms/${s}`, {
        method: "PATCH",
        params: { slug: s },
        cookie: adminCookie,
        body,
      });

    const res = await patch(slug, { title: "Get a quote", allowed_origins: ["https://www.example.com/"] });
    expect(res.status).toBe(200);
    expect((await json<{ data: Record<string, unknown> }>(res)).data).toMatchObject({
      title: "Get a quote",
      allowedOrigins: ["https://www.example.com"],
    });
    expect((await patch(foreignSlug, { title: "Mine now" })).status).toBe(404);
    const bad = await patch(slug, { allowed_origins: ["example.com"], redirect_url: "/thanks" });
    expect(await json(bad)).toEqual({
      status: "error",
      message: "Validation failed",
      errors: [
        { field: "allowed_origins", message: "example.com is not an origin such as https://www.example.com" },
        { field: "redirect_url", message: "Must be an absolute http(s) URL" },
      ],
    });
  });

  it("refuses a thank-you address with a line break, and stores addresses in their normal form", async () => {
    const slug = `t-${tenant.company.id.slice(0, 8)}`;
    await createForm(tenant.company.id, { ...CONTACT_FORM, slug });
    const patch = (body: unknown) =>
      call(formRoute, `/api/admin/forms/${slug}`, {
        method: "PATCH",
        params: { slug },
        cookie: adminCookie,
        body,
      });
    for (const url of [
      "https://www.example.com/thanks\r\nSet-Cookie: a=b",
      "https://www.example.com/\tthanks",
    ]) {
      const bad = await patch({ redirect_url: url });
      expect(bad.status).toBe(400);
      expect(await json(bad)).toEqual({
        status: "error",
        message: "Validation failed",
        errors: [
          { field: "redirect_url", message: "Must not contain line breaks or other control characters" },
        ],
      });
    }
    const good = await patch({ redirect_url: " HTTPS://WWW.Example.com/thank you?from=form " });
    expect(good.status).toBe(200);
    expect((await findForm(slug))?.redirectUrl).toBe("https://www.example.com/thank%20you?from=form");
  });
});

describe("members", () => {
  it("see, change and export only the leads assigned to them, and cannot manage keys or users", async () => {
    const tenant = await newTenant();
    const admin = await newUser(tenant.company.id, "admin");
    const member = await newUser(tenant.company.id, "member");
    const adminCookie = await sessionCookie(admin);
    const memberCookie = await sessionCookie(member);
    const mine = (await tenant.api.post<Lead>({ name: "Mine", phone: "6125550121" })).body;
    const theirs = (await tenant.api.post<Lead>({ name: "Theirs", phone: "6125550122" })).body;
    const assign = await call(leadRoute, `/api/admin/leads/${mine.id}`, {
      method: "PATCH",
      params: { id: mine.id },
      cookie: adminCookie,
      body: { assigned_to: member.id },
    });
    expect(assign.status).toBe(200);

    const memberList = await json<ListBody>(
      await call(leadsRoute, "/api/admin/leads", { cookie: memberCookie }),
    );
    expect(memberList.data.map((l) => l.id)).toEqual([mine.id]);
    expect(memberList.pagination.total).toBe(1);
    const adminList = await json<ListBody>(
      await call(leadsRoute, "/api/admin/leads", { cookie: adminCookie }),
    );
    expect(adminList.data.map((l) => l.id).sort()).toEqual([mine.id, theirs.id].sort());

    const get = (id: string) =>
      call(leadRoute, `/api/admin/leads/${id}`, { params: { id }, cookie: memberCookie });
    expect((await get(mine.id)).status).toBe(200);
    expect((await get(theirs.id)).status).toBe(404);
    const edit = await call(leadRoute, `/api/admin/leads/${theirs.id}`, {
      method: "PATCH",
      params: { id: theirs.id },
      cookie: memberCookie,
      body: { stage: "Contacted" },
    });
    expect(edit.status).toBe(404);
    const bulk = await call(bulkRoute, "/api/admin/leads/bulk", {
      method: "POST",
      cookie: memberCookie,
      body: { ids: [mine.id, theirs.id], action: "add_tag", value: "member" },
    });
    expect(await json(bulk)).toEqual({ updated: 1, status: "success" });
    const csv = await (await call(exportRoute, "/api/admin/leads/export", { cookie: memberCookie })).text();
    expect(csv).toContain(mine.id);
    expect(csv).not.toContain(theirs.id);

    for (const [mod, method] of [
      [keysRoute, "GET"],
      [keysRoute, "POST"],
      [usersRoute, "GET"],
      [usersRoute, "POST"],
      [userRoute, "DELETE"],
    ] as const) {
      const res = await call(mod, "/api/admin/x", {
        method,
        cookie: memberCookie,
        params: { id: admin.id },
        body: method === "GET" ? undefined : {},
      });
      expect(res.status, `${method}`).toBe(403);
    }
    const reassign = await call(leadRoute, `/api/admin/leads/${mine.id}`, {
      method: "PATCH",
      params: { id: mine.id },
      cookie: memberCookie,
      body: { assigned_to: null },
    });
    expect(reassign.status).toBe(403);
  });

  it("see the leads they create, and a lead they create that matches another's is merged, not shown", async () => {
    const tenant = await newTenant();
    const member = await newUser(tenant.company.id, "member");
    const cookie = await sessionCookie(member);
    const create = (body: unknown) => call(leadsRoute, "/api/admin/leads", { method: "POST", cookie, body });

    const made = await create({ name: "Walk-in", phone: "(612) 555-0131", tags: ["walk-in"] });
    expect(made.status).toBe(201);
    const { data } = await json<{ data: Lead & { created_by: string } }>(made);
    expect(data.created_by).toBe(member.id);
    expect(data.phone).toBe("+16125550131");
    const list = await json<ListBody>(await call(leadsRoute, "/api/admin/leads", { cookie }));
    expect(list.data.map((l) => l.id)).toEqual([data.id]);

    const again = await json<{ data: Lead; created: boolean }>(
      await create({ name: "Walk-in", phone: "6125550131", tags: ["second"] }),
    );
    expect(again.created).toBe(false);
    expect(again.data.tags).toEqual(["walk-in", "second"]);

    // Stage and source typed in describe a new lead: an existing one keeps its own.
    const staged = await json<{ data: Lead }>(
      await create({ name: "Walk-in", phone: "6125550131", stage: "new", source: "phone" }),
    );
    expect(staged.data.stage).toBeNull();
    expect(staged.data.source).toBeNull();

    // Someone else's lead is neither changed nor shown.
    const someoneElses = (
      await tenant.api.post<Lead>({ name: "Known", email: "known@example.com", notes: "Kept" })
    ).body;
    const refused = await create({ email: "KNOWN@example.com", name: "Someone", notes: "Overwritten?" });
    expect(refused.status).toBe(409);
    expect(await json(refused)).toEqual({
      status: "error",
      message: "This person is already a lead, assigned to someone else. Ask an admin to assign it to you.",
      error_code: "CONFLICT",
    });
    const untouched = (await tenant.api.get<{ data: Lead }>(someoneElses.id)).body.data;
    expect([untouched.name, untouched.notes]).toEqual(["Known", "Kept"]);

    const bad = await create({ name: "Bad", phone: "12", assigned_to: member.id });
    expect(bad.status).toBe(400);
    expect(await json(bad)).toEqual({
      status: "error",
      message: "Validation failed",
      errors: [{ field: "phone", message: "Invalid phone number" }],
    });
  });

  it("cannot give their lead the phone or email of a lead they cannot see, and are not told whose", async () => {
    const tenant = await newTenant();
    const member = await newUser(tenant.company.id, "member");
    const cookie = await sessionCookie(member);
    const edit = (id: string, body: unknown) =>
      call(leadRoute, `/api/admin/leads/${id}`, { method: "PATCH", params: { id }, cookie, body });
    const mine = (
      await json<{ data: Lead }>(
        await call(leadsRoute, "/api/admin/leads", {
          method: "POST",
          cookie,
          body: { name: "Mine", email: "mine@example.com" },
        }),
      )
    ).data;
    const hidden = (
      await tenant.api.post<Lead>({ name: "Someone else's", phone: "6125550177", email: "other@example.com" })
    ).body;

    for (const body of [{ phone: "(612) 555-0177" }, { email: "OTHER@example.com" }]) {
      const refused = await edit(mine.id, body);
      expect(refused.status).toBe(409);
      const answer = JSON.stringify(await json(refused));
      expect(answer).toBe(
        JSON.stringify({
          status: "error",
          message: "This phone or email belongs to another lead. Ask an admin to merge the two leads.",
          error_code: "CONFLICT",
        }),
      );
      expect(answer).not.toContain(hidden.id);
    }
    // Nothing changed, and the customer's next submission still reaches their own lead.
    expect((await tenant.api.get<{ data: Lead }>(mine.id)).body.data.phone).toBeNull();
    const next = await tenant.api.post<Lead>({ phone: "6125550177", notes: "Call me" });
    expect(next.body.id).toBe(hidden.id);

    // A phone no hidden lead has is the member's to set.
    expect((await edit(mine.id, { phone: "6125550178" })).status).toBe(200);
  });

  it("change their own password, which ends every session begun before", async () => {
    const tenant = await newTenant();
    const member = await newUser(tenant.company.id, "member");
    const [cookie, otherDevice] = [await sessionCookie(member), await sessionCookie(member)];
    const change = (body: unknown) =>
      call(passwordRoute, "/api/admin/account/password", { method: "POST", cookie, body });

    const wrong = await change({ current: "not it at all", password: "a brand new passphrase" });
    expect(await json(wrong)).toEqual({
      status: "error",
      message: "Validation failed",
      errors: [{ field: "current", message: "That is not your current password" }],
    });
    const short = await change({ current: PASSWORD, password: "short" });
    expect(await json(short)).toMatchObject({
      errors: [{ field: "password", message: "Must be at least 10 characters" }],
    });
    expect((await call(leadsRoute, "/api/admin/leads", { cookie: otherDevice })).status).toBe(200);

    // At once, in the same second the sessions began (every way a session ends: sessions.test.ts).
    expect((await change({ current: PASSWORD, password: "a brand new passphrase" })).status).toBe(200);
    for (const old of [cookie, otherDevice]) {
      expect((await call(leadsRoute, "/api/admin/leads", { cookie: old })).status).toBe(401);
    }
    expect((await signIn(member.email)).cookie).not.toContain("authjs.session-token");
    const fresh = await signIn(member.email, "a brand new passphrase");
    expect((await call(leadsRoute, "/api/admin/leads", { cookie: fresh.cookie })).status).toBe(200);
  });

  it("an admin changes a member's role and sets a new password, each of which ends their sessions", async () => {
    const tenant = await newTenant();
    const admin = await newUser(tenant.company.id, "admin");
    const member = await newUser(tenant.company.id, "member");
    const adminCookie = await sessionCookie(admin);
    const memberCookie = await sessionCookie(member);
    const patch = (id: string, body: unknown) =>
      call(userRoute, `/api/admin/users/${id}`, {
        method: "PATCH",
        params: { id },
        cookie: adminCookie,
        body,
      });

    expect((await call(keysRoute, "/api/admin/api-keys", { cookie: memberCookie })).status).toBe(403);
    expect((await patch(member.id, { role: "admin" })).status).toBe(200);
    // The session opened as a member has ended; signed in again, the new role applies.
    expect((await call(keysRoute, "/api/admin/api-keys", { cookie: memberCookie })).status).toBe(401);
    const asAdmin = await sessionCookie(member);
    expect((await call(keysRoute, "/api/admin/api-keys", { cookie: asAdmin })).status).toBe(200);
    expect((await patch(member.id, { role: "member" })).status).toBe(200);

    const bad = await patch(member.id, { role: "owner", password: "short" });
    expect(await json(bad)).toEqual({
      status: "error",
      message: "Validation failed",
      errors: [
        { field: "role", message: "Must be admin or member" },
        { field: "password", message: "Must be at least 10 characters" },
      ],
    });
    const lastAdmin = await patch(admin.id, { role: "member" });
    expect(lastAdmin.status).toBe(409);
    const foreign = await newTenant();
    const stranger = await newUser(foreign.company.id, "member");
    expect((await patch(stranger.id, { role: "admin" })).status).toBe(404);

    const memberAgain = await sessionCookie(member);
    expect((await patch(member.id, { password: "set by the admin" })).status).toBe(200);
    expect((await call(leadsRoute, "/api/admin/leads", { cookie: memberAgain })).status).toBe(401);
    expect((await signIn(member.email, "set by the admin")).cookie).toContain("authjs.session-token");
  });

  it("a removed user's session stops working at once; the last admin stays", async () => {
    const tenant = await newTenant();
    const admin = await newUser(tenant.company.id, "admin");
    const member = await newUser(tenant.company.id, "member");
    const adminCookie = await sessionCookie(admin);
    const memberCookie = await sessionCookie(member);
    const remove = (id: string) =>
      call(userRoute, `/api/admin/users/${id}`, { method: "DELETE", params: { id }, cookie: adminCookie });
    expect((await remove(member.id)).status).toBe(200);
    expect((await call(leadsRoute, "/api/admin/leads", { cookie: memberCookie })).status).toBe(401);
    const last = await remove(admin.id);
    expect(last.status).toBe(409);
  });
});
