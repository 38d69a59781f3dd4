import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import * as formPage from "@/app/(public)/f/[slug]/route";
import * as thanksPage from "@/app/(public)/f/[slug]/thanks/route";
import * as intake from "@/app/api/intake/[slug]/route";
import * as embed from "@/app/(public)/embed.js/route";
import { eq } from "drizzle-orm";
import { setClock } from "@/lib/clock";
import { getDb } from "@/lib/db/client";
import { forms, leadProposals, submissions } from "@/lib/db/schema";
import { EMBED_SCRIPT } from "@/lib/forms/embed-script";
import { PAGE_SCRIPT, PAGE_SCRIPT_HASH } from "@/lib/forms/page-script";
import { createForm, findForm, type NewForm, updateForm } from "@/lib/forms/repository";
import { stampPeer } from "@/lib/http/client-address";
import { kv } from "@/lib/kv";
import { fullLead, newTenant } from "../support/fixtures";

const PORTAL = "http://127.0.0.1:3000";
const SHOP = "https://shop.example";

async function tenantWithForm(overrides: Partial<NewForm> = {}) {
  const tenant = await newTenant();
  const slug = `quote-${randomUUID().slice(0, 8)}`;
  const form = await createForm(tenant.company.id, {
    slug,
    title: "Get a quote",
    settings: {
      fields: [
        { name: "name", label: "Name", required: true },
        { name: "phone", label: "Phone", required: false },
        { name: "email", label: "Email", required: false },
        { name: "service_type", label: "Service", required: false, choices: ["Windows", "Gutters"] },
        { name: "notes", label: "Notes", required: false },
      ],
      oneOf: ["phone", "email"],
      consent: { text: "You may contact me about my request.", required: true },
    },
    defaultSource: "website",
    defaultStage: "new",
    defaultTags: ["website", "utm:google"],
    allowedOrigins: [SHOP],
    thankYouMessage: "Thanks, we will call you.",
    ...overrides,
  });
  return { ...tenant, form, slug };
}

/** What the form kept of its submissions, oldest first: status, reason, lead. */
async function keptOf(formId: string) {
  const db = await getDb();
  return db
    .select({
      id: submissions.id,
      status: submissions.status,
      reason: submissions.spamReason,
      leadId: submissions.leadId,
      fields: submissions.fields,
    })
    .from(submissions)
    .where(eq(submissions.formId, formId))
    .orderBy(submissions.receivedAt);
}

const params = (slug: string) => ({ params: Promise.resolve({ slug }) });

function postForm(slug: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return intake.POST(
    new Request(`${PORTAL}/api/intake/${slug}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
      body: new URLSearchParams(fields).toString(),
    }),
    params(slug),
  );
}

function postJson(slug: string, body: unknown, headers: Record<string, string> = {}) {
  return intake.POST(
    new Request(`${PORTAL}/api/intake/${slug}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
    params(slug),
  );
}

type Lead = {
  id: string;
  name: string;
  phone: string;
  email: string;
  source: string;
  stage: string;
  tags: string[];
};

describe("the form page, GET /f/{slug}", () => {
  it("is plain HTML with one optional script allowed by hash, a label for every field, framable only by allowed origins", async () => {
    const { slug } = await tenantWithForm();
    const res = await formPage.GET(new Request(`${PORTAL}/f/${slug}`), params(slug));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    const csp = res.headers.get("content-security-policy")!;
    expect(csp).toContain(`frame-ancestors 'self' ${SHOP}`);
    expect(csp).toContain("default-src 'none'");
    const html = await res.text();
    // One script, the page's own (lib/forms/page-script.ts), and the policy allows exactly it.
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).toContain(`<script>${PAGE_SCRIPT}</script>`);
    expect(csp).toContain(`script-src ${PAGE_SCRIPT_HASH}`);
    expect(html).toContain(`action="/api/intake/${slug}"`);
    for (const name of ["name", "phone", "email", "service_type", "notes", "consent"]) {
      expect(html).toContain(`for="f-${name}"`);
      expect(html).toContain(`id="f-${name}"`);
    }
    expect(html).toContain('<option value="Gutters">Gutters</option>');
  });

  it("answers 404 for an unknown form, and shows the thank-you message", async () => {
    const { slug } = await tenantWithForm();
    expect((await formPage.GET(new Request(`${PORTAL}/f/nope`), params("nope-x"))).status).toBe(404);
    const thanks = await thanksPage.GET(new Request(`${PORTAL}/f/${slug}/thanks`), params(slug));
    expect(await thanks.text()).toContain("Thanks, we will call you.");
  });

  it("shows a change made in this process at once", async () => {
    const { slug } = await tenantWithForm();
    expect((await findForm(slug))!.title).toBe("Get a quote");
    await updateForm(slug, { title: "Ask for a quote" });
    expect((await findForm(slug))!.title).toBe("Ask for a quote");
  });

  it("exists for the default company as /f/contact from the first start", async () => {
    const contact = await findForm("contact");
    expect(contact?.settings.oneOf).toEqual(["phone", "email"]);
    expect(contact?.settings.fields.find((f) => f.name === "name")?.required).toBe(true);
  });
});

describe("POST /api/intake/{slug} from an HTML form (no JavaScript)", () => {
  it("stores the lead with the form's source, stage and tags, and sends the visitor to the thank-you page", async () => {
    const { slug, api } = await tenantWithForm();
    const res = await postForm(slug, { name: "Ann Lee", phone: "(612) 555-0100", consent: "on" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/f/${slug}/thanks`);
    const list = await api.list<{ data: Lead[] }>();
    expect(list.body.data).toHaveLength(1);
    expect(list.body.data[0]).toMatchObject({
      name: "Ann Lee",
      phone: "+16125550100",
      source: "website",
      stage: "new",
      tags: ["website", "utm:google"],
    });
  });

  it("shows the form again with 422, every typed value kept and each message beside its field", async () => {
    const { slug, api } = await tenantWithForm();
    const res = await postForm(slug, {
      name: "",
      email: "ann@",
      notes: "Two <b>floors</b>",
      service_type: "Roofs",
    });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('role="alert"');
    expect(html).toMatch(/<input id="f-name" aria-invalid="true" aria-describedby="f-name-error"/);
    expect(html).toContain('<p class="error" id="f-name-error">Please enter your name</p>');
    expect(html).toContain('<p class="error" id="f-email-error">Invalid email format</p>');
    expect(html).toContain('<p class="error" id="f-service_type-error">Please choose one of the options</p>');
    expect(html).toContain('<p class="error" id="f-consent-error">Please tick the box to continue</p>');
    // Typed values come back, escaped.
    expect(html).toContain('value="ann@"');
    expect(html).toContain("Two &lt;b&gt;floors&lt;/b&gt;</textarea>");
    expect((await api.list<{ data: Lead[] }>()).body.data).toHaveLength(0);
  });

  it("asks for a phone or an email when neither is given", async () => {
    const { slug } = await tenantWithForm();
    const html = await (await postForm(slug, { name: "Ann", consent: "on" })).text();
    expect(html).toContain(
      '<p class="error" id="f-phone-error">Please enter a phone number or an email address</p>',
    );
    expect(html).toContain(
      '<p class="error" id="f-email-error">Please enter a phone number or an email address</p>',
    );
  });

  it("redirects to the form's own thank-you address when it has one", async () => {
    const { slug } = await tenantWithForm({ redirectUrl: "https://shop.example/thanks" });
    const res = await postForm(slug, { name: "Ann", email: "ann@example.com", consent: "on" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("https://shop.example/thanks");
    const page = await formPage.GET(new Request(`${PORTAL}/f/${slug}`), params(slug));
    expect(page.headers.get("content-security-policy")).toContain("form-action 'self' https://shop.example");
  });
});

describe("POST /api/intake/{slug} with JSON", () => {
  it("answers {status, submission_id} alike for a known and a new person, and only fills the known lead", async () => {
    const { slug, api, form } = await tenantWithForm();
    const made = await api.post<Lead>({
      name: "Ann",
      email: "Ann@Example.com",
      stage: "quoted",
      tags: ["Vip"],
    });
    const res = await postJson(slug, {
      name: "Ann Lee",
      email: "ann@example.com",
      phone: "612.555.0100",
      consent: true,
    });
    expect(res.status).toBe(201);
    const known = (await res.json()) as { status: string; submission_id: string };
    expect(known).toEqual({ status: "success", submission_id: expect.any(String) });
    const lead = (await api.get<{ data: Lead }>(made.body.id)).body.data;
    // The empty phone is filled, the name is not replaced but proposed; the form's tags are merged;
    // its default stage and source are for new leads only.
    expect(lead).toMatchObject({ name: "Ann", phone: "+16125550100", stage: "quoted", source: null });
    expect(lead.tags).toEqual(["Vip", "website", "utm:google"]);
    const db = await getDb();
    const proposed = await db.select().from(leadProposals).where(eq(leadProposals.leadId, made.body.id));
    expect(proposed.map((p) => [p.field, p.value, p.status])).toEqual([["name", "Ann Lee", "open"]]);

    const fresh = await postJson(slug, { name: "Bo", phone: "+1 612 555 0199", consent: true });
    expect(fresh.status).toBe(201);
    const created = (await fresh.json()) as { submission_id: string };
    expect(Object.keys(created).sort()).toEqual(Object.keys(known).sort());
    expect((await keptOf(form.id)).map((k) => [k.id, k.status])).toEqual([
      [known.submission_id, "attached"],
      [created.submission_id, "lead"],
    ]);
  });

  it("refuses bad input with the API's 400 body, and malformed JSON on field body", async () => {
    const { slug } = await tenantWithForm();
    const res = await postJson(slug, { name: "Ann", email: "nope", consent: true });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      status: "error",
      message: "Validation failed",
      errors: [{ field: "email", message: "Invalid email format" }],
    });
    const malformed = await postJson(slug, "{");
    expect(await malformed.json()).toEqual({
      status: "error",
      message: "Validation failed",
      errors: [{ field: "body", message: "Malformed JSON" }],
    });
  });

  it("answers 404 in JSON for an unknown form", async () => {
    const res = await postJson("no-such-form", { name: "Ann" });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ status: "error", message: "Not found" });
  });
});

describe("every message, through the intake", () => {
  const DATE_MESSAGE = "Invalid date format: use ISO 8601, such as 2026-05-01 or 2026-05-01T15:00:00Z";
  const oneField = (name: "email" | "phone") => ({
    settings: {
      fields: [
        { name: "name" as const, label: "Name", required: false },
        { name, label: name === "email" ? "Email" : "Phone", required: false },
        { name: "follow_up_date" as const, label: "Best day", required: false },
        { name: "notes" as const, label: "Notes", required: false },
      ],
      oneOf: [name],
      consent: null,
    },
  });

  it("asks for the one contact field a form requires, beside it", async () => {
    const { slug } = await tenantWithForm(oneField("email"));
    const res = await postJson(slug, { name: "Ann" });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      status: "error",
      message: "Validation failed",
      errors: [{ field: "email", message: "Please fill this in" }],
    });
    const html = await (await postForm(slug, { name: "Ann" })).text();
    expect(html).toContain('<p class="error" id="f-email-error">Please fill this in</p>');
  });

  it("gives the API's messages for a phone, a date and a text too long", async () => {
    const { slug, api } = await tenantWithForm(oneField("phone"));
    const res = await postJson(slug, {
      name: "Ann",
      phone: "12",
      follow_up_date: "next tuesday",
      notes: "x".repeat(2001),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: unknown[] }).errors).toEqual([
      { field: "phone", message: "Invalid phone number" },
      { field: "follow_up_date", message: DATE_MESSAGE },
      { field: "notes", message: "Must be at most 2000 characters" },
    ]);
    const form = await postForm(slug, { name: "Ann", phone: "12", follow_up_date: "next tuesday" });
    expect(form.status).toBe(422);
    const html = await form.text();
    expect(html).toContain('<p class="error" id="f-phone-error">Invalid phone number</p>');
    expect(html).toContain(`<p class="error" id="f-follow_up_date-error">${DATE_MESSAGE}</p>`);
    expect(html).toContain('value="next tuesday"');
    expect((await api.list<{ data: Lead[] }>()).body.data).toHaveLength(0);
  });

  it("refuses a body that is neither a form nor JSON, saying what to send", async () => {
    const { slug } = await tenantWithForm();
    const res = await intake.POST(
      new Request(`${PORTAL}/api/intake/${slug}`, {
        method: "POST",
        headers: { "content-type": "text/plain" },
        body: "name=Ann",
      }),
      params(slug),
    );
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(await res.text()).toContain(
      "Send application/x-www-form-urlencoded, multipart/form-data or application/json",
    );
  });
});

describe("a form's other fields and its intro", () => {
  it("shows the intro, and stores the address and follow-up date the visitor gave", async () => {
    const { slug, api } = await tenantWithForm({
      intro: "We clean windows across the Twin Cities.",
      settings: {
        fields: [
          { name: "name", label: "Name", required: true },
          { name: "email", label: "Email", required: true },
          { name: "address_street1", label: "Street", required: true },
          { name: "address_street2", label: "Flat or unit", required: false },
          { name: "address_city", label: "City", required: false },
          { name: "address_state", label: "State", required: false },
          { name: "address_zip", label: "ZIP code", required: false },
          { name: "address_country", label: "Country", required: false },
          { name: "follow_up_date", label: "Best day to call", required: false },
        ],
        oneOf: [],
        consent: null,
      },
    });
    const html = await (await formPage.GET(new Request(`${PORTAL}/f/${slug}`), params(slug))).text();
    expect(html).toContain("We clean windows across the Twin Cities.");
    for (const [name, label] of [
      ["address_street1", "Street"],
      ["address_street2", "Flat or unit"],
      ["address_city", "City"],
      ["address_state", "State"],
      ["address_zip", "ZIP code"],
      ["address_country", "Country"],
      ["follow_up_date", "Best day to call"],
    ]) {
      expect(html).toContain(`<label for="f-${name}">${label}`);
    }
    expect(html).toContain('<input id="f-follow_up_date" type="date"');
    const missing = await (await postForm(slug, { name: "Ann", email: "ann@example.com" })).text();
    expect(missing).toContain('<p class="error" id="f-address_street1-error">Please enter your street</p>');

    // The API's sample lead's address, typed into the form.
    const address = Object.fromEntries(
      Object.entries(fullLead()).filter(([name]) => name.startsWith("address_")),
    ) as Record<string, string>;
    expect(Object.keys(address)).toHaveLength(6);
    const res = await postForm(slug, {
      name: "Ann",
      email: "ann@example.com",
      ...address,
      follow_up_date: "2031-05-01",
    });
    expect(res.status).toBe(303);
    const [lead] = (await api.list<{ data: Record<string, unknown>[] }>()).body.data;
    expect(lead).toMatchObject(address);
    expect(String(lead!.follow_up_date)).toMatch(/^2031-05-01/);
  });
});

describe("the company's cached lists", () => {
  it("are stale after each accepted submission, and the next list shows the lead", async () => {
    const { slug, api } = await tenantWithForm();
    await api.list();
    expect((await api.list()).headers.get("x-cache")).toBe("HIT");
    expect((await postForm(slug, { name: "Ann", email: "ann@example.com", consent: "on" })).status).toBe(303);
    const afterForm = await api.list<{ data: Lead[] }>();
    expect(afterForm.headers.get("x-cache")).toBe("MISS");
    expect(afterForm.body.data.map((l) => l.name)).toEqual(["Ann"]);

    expect((await api.list()).headers.get("x-cache")).toBe("HIT");
    const again = { name: "Ann", email: "ann@example.com", phone: "612 555 0100", consent: true };
    expect((await postJson(slug, again)).status).toBe(201);
    const afterJson = await api.list<{ data: Lead[] }>();
    expect(afterJson.headers.get("x-cache")).toBe("MISS");
    expect(afterJson.body.data.map((l) => l.phone)).toEqual(["+16125550100"]);
  });
});

describe("CORS and origins", () => {
  it("allows the form's own origins, with a preflight, and no other", async () => {
    const { slug, api } = await tenantWithForm();
    const allowed = await postJson(
      slug,
      { name: "Ann", email: "a@example.com", consent: true },
      { origin: SHOP },
    );
    expect(allowed.status).toBe(201);
    expect(allowed.headers.get("access-control-allow-origin")).toBe(SHOP);
    expect(allowed.headers.get("vary")).toContain("Origin");

    const preflight = await intake.OPTIONS(
      new Request(`${PORTAL}/api/intake/${slug}`, { method: "OPTIONS", headers: { origin: SHOP } }),
      params(slug),
    );
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe(SHOP);
    expect(preflight.headers.get("access-control-allow-headers")).toContain("content-type");

    const other = "https://elsewhere.example";
    const refusedPreflight = await intake.OPTIONS(
      new Request(`${PORTAL}/api/intake/${slug}`, { method: "OPTIONS", headers: { origin: other } }),
      params(slug),
    );
    expect(refusedPreflight.headers.get("access-control-allow-origin")).toBeNull();
    for (const res of [
      await postJson(slug, { name: "Eve", email: "eve@example.com", consent: true }, { origin: other }),
      await postForm(slug, { name: "Eve", email: "eve@example.com", consent: "on" }, { origin: other }),
    ]) {
      expect(res.status).toBe(403);
      expect(res.headers.get("access-control-allow-origin")).toBeNull();
      expect(await res.json()).toMatchObject({ error_code: "ORIGIN_NOT_ALLOWED" });
    }
    expect((await api.list<{ data: Lead[] }>()).body.data.map((l) => l.name)).toEqual(["Ann"]);
  });

  it("sends a visitor to the form's own thank-you page when the stored address has a line break", async () => {
    // Stored before such addresses were refused (the admin and the form command refuse them now).
    const { slug, api } = await tenantWithForm();
    const db = await getDb();
    await db
      .update(forms)
      .set({ redirectUrl: "https://www.example.com/thanks\r\nSet-Cookie: a=b" })
      .where(eq(forms.slug, slug));
    const res = await postForm(slug, { name: "Ann", email: "a@example.com", consent: "on" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/f/${slug}/thanks`);
    const page = await formPage.GET(new Request(`${PORTAL}/f/${slug}`), params(slug));
    expect(page.status).toBe(200);
    expect((await api.list<{ data: Lead[] }>()).body.data.map((l) => l.name)).toEqual(["Ann"]);
  });

  it("takes a business's own HTML form from an allowed origin, and lets its script send an Idempotency-Key", async () => {
    const { slug, api } = await tenantWithForm();
    const own = await postForm(
      slug,
      { name: "Ann", email: "a@example.com", consent: "on" },
      { origin: SHOP },
    );
    expect(own.status).toBe(303);
    expect(own.headers.get("location")).toBe(`/f/${slug}/thanks`);

    const preflight = await intake.OPTIONS(
      new Request(`${PORTAL}/api/intake/${slug}`, {
        method: "OPTIONS",
        headers: {
          origin: SHOP,
          "access-control-request-method": "POST",
          "access-control-request-headers": "content-type,idempotency-key",
        },
      }),
      params(slug),
    );
    const allowed = preflight.headers.get("access-control-allow-headers")!.split(/,\s*/);
    expect(allowed).toEqual(expect.arrayContaining(["content-type", "idempotency-key"]));
    const keyed = { origin: SHOP, "idempotency-key": "shop-order-7" };
    const first = await postJson(slug, { name: "Bo", email: "bo@example.com", consent: true }, keyed);
    const again = await postJson(slug, { name: "Bo", email: "bo@example.com", consent: true }, keyed);
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(((await again.json()) as { submission_id: string }).submission_id).toBe(
      ((await first.json()) as { submission_id: string }).submission_id,
    );
    expect((await api.list<{ data: Lead[] }>()).body.data.map((l) => l.name).sort()).toEqual(["Ann", "Bo"]);
  });

  it("accepts the portal's own page and callers that send no Origin", async () => {
    const { slug } = await tenantWithForm();
    const own = await postForm(
      slug,
      { name: "Ann", email: "a@example.com", consent: "on" },
      { origin: PORTAL },
    );
    expect(own.status).toBe(303);
    const server = await postJson(slug, { name: "Bo", email: "b@example.com", consent: true });
    expect(server.status).toBe(201);
  });
});

describe("spam defences, on the server", () => {
  afterEach(() => setClock(null));

  async function renderedToken(slug: string): Promise<string> {
    const html = await (await formPage.GET(new Request(`${PORTAL}/f/${slug}`), params(slug))).text();
    return /name="_token" value="([^"]+)"/.exec(html)![1]!;
  }

  async function spamCount(slug: string) {
    const db = await getDb();
    const [row] = await db.select({ spamCount: forms.spamCount }).from(forms).where(eq(forms.slug, slug));
    return row!.spamCount;
  }

  it("answers a filled honeypot as if accepted, makes no lead, and keeps it as spam", async () => {
    const { slug, api, form } = await tenantWithForm();
    const html = await postForm(slug, {
      name: "Bot",
      email: "bot@example.com",
      consent: "on",
      website_url: "x",
    });
    expect(html.status).toBe(303);
    const json = await postJson(slug, {
      name: "Bot",
      email: "bot@example.com",
      consent: true,
      website_url: "x",
    });
    expect(json.status).toBe(201);
    expect(await json.json()).toEqual({ status: "success", submission_id: expect.any(String) });
    expect((await api.list<{ data: Lead[] }>()).body.data).toHaveLength(0);
    expect(await spamCount(slug)).toBe(2);
    const kept = await keptOf(form.id);
    expect(kept.map((k) => [k.status, k.reason, k.leadId])).toEqual([
      ["spam", "honeypot", null],
      ["spam", "honeypot", null],
    ]);
    expect(kept[1]!.fields).toMatchObject({ name: "Bot", website_url: "x", consent: true });
  });

  it("refuses a form sent back faster than a person fills it, and a forged or foreign token", async () => {
    const { slug, api } = await tenantWithForm();
    const other = await tenantWithForm();
    const start = Date.parse("2031-01-01T10:00:00Z");
    setClock(() => new Date(start));
    const token = await renderedToken(slug);
    const fields = { name: "Ann", email: "ann@example.com", consent: "on" };
    expect((await postForm(slug, { ...fields, _token: token })).status).toBe(303);
    expect(await spamCount(slug)).toBe(1);

    setClock(() => new Date(start + 10_000));
    const [payload, signature] = token.split(".");
    await postForm(slug, { ...fields, _token: `${payload}.${signature!.slice(1)}x` });
    await postForm(slug, { ...fields, _token: await renderedToken(other.slug) });
    expect(await spamCount(slug)).toBe(3);
    expect((await api.list<{ data: Lead[] }>()).body.data).toHaveLength(0);

    expect((await postForm(slug, { ...fields, _token: token })).status).toBe(303);
    expect((await api.list<{ data: Lead[] }>()).body.data.map((l) => l.name)).toEqual(["Ann"]);
  });

  it("shows a too-fast submission's errors like anyone's, and keeps its render time", async () => {
    const { slug } = await tenantWithForm();
    const start = Date.parse("2031-01-01T10:00:00Z");
    setClock(() => new Date(start));
    const token = await renderedToken(slug);
    const res = await postForm(slug, { name: "", email: "", _token: token });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain(`name="_token" value="${token}"`);
    expect(await spamCount(slug)).toBe(0);
  });

  it("limits submissions per address per hour, and per form", async () => {
    const { slug, form, api } = await tenantWithForm();
    // The connection's address counts; what the client claims in X-Forwarded-For is ignored.
    let claim = 0;
    const from = (ip: string) => {
      const headers: Record<string, string> = { "x-forwarded-for": `192.0.2.${claim++ % 250}` };
      stampPeer(headers, ip);
      return headers;
    };
    for (let i = 0; i < 20; i++) {
      const res = await postJson(
        slug,
        { name: `P${i}`, email: `p${i}@example.com`, consent: true },
        from("203.0.113.7"),
      );
      expect(res.status).toBe(201);
    }
    const over = await postJson(
      slug,
      { name: "P20", email: "p20@example.com", consent: true },
      from("203.0.113.7"),
    );
    expect(over.status).toBe(201);
    expect(await spamCount(slug)).toBe(1);
    const elsewhere = await postJson(
      slug,
      { name: "Q", email: "q@example.com", consent: true },
      from("198.51.100.2"),
    );
    expect(elsewhere.status).toBe(201);
    expect((await api.list<{ pagination: { total: number } }>()).body.pagination.total).toBe(21);

    // The form's hourly count at its limit: the next submission from anywhere is held for review.
    await kv().set(`intake:form:${form.id}:${Math.floor(Date.now() / 3_600_000)}`, "1000", 3600);
    const held = await postJson(
      slug,
      { name: "R", email: "r@example.com", consent: true },
      from("192.0.2.9"),
    );
    expect(held.status).toBe(201);
    expect(await spamCount(slug)).toBe(1);
    expect((await api.list<{ pagination: { total: number } }>()).body.pagination.total).toBe(21);
    const kept = await keptOf(form.id);
    expect(kept.filter((k) => k.status !== "lead").map((k) => [k.status, k.reason])).toEqual([
      ["spam", "rate-ip"],
      ["held", "rate-form"],
    ]);
  });
});

describe("resubmissions get the first answer", () => {
  afterEach(() => setClock(null));

  it("a rendered form sent again: the same values change nothing, corrected ones are a new submission", async () => {
    const { slug, api, form } = await tenantWithForm();
    const start = Date.parse("2031-01-01T10:00:00Z");
    setClock(() => new Date(start));
    const html = await (await formPage.GET(new Request(`${PORTAL}/f/${slug}`), params(slug))).text();
    const token = /name="_token" value="([^"]+)"/.exec(html)![1]!;
    setClock(() => new Date(start + 8_000));
    const first = await postForm(slug, {
      name: "Ann",
      email: "ann@example.com",
      consent: "on",
      _token: token,
    });
    const same = await postForm(slug, {
      name: "Ann",
      email: "ann@example.com",
      consent: "on",
      _token: token,
    });
    expect([first.status, same.status]).toEqual([303, 303]);
    expect((await api.list<{ data: Lead[] }>()).body.data.map((l) => l.name)).toEqual(["Ann"]);
    expect(await keptOf(form.id)).toHaveLength(1);
    // The visitor went back and corrected the email: a new submission, kept and stored.
    const corrected = await postForm(slug, {
      name: "Ann",
      email: "ann@example.org",
      consent: "on",
      _token: token,
    });
    expect(corrected.status).toBe(303);
    expect((await keptOf(form.id)).map((k) => k.status)).toEqual(["lead", "lead"]);
    expect((await api.list<{ data: Lead[] }>()).body.data.map((l) => l.email).sort()).toEqual([
      "ann@example.com",
      "ann@example.org",
    ]);
  });

  it("an Idempotency-Key, or the same payload within minutes, is stored once, per client", async () => {
    const { slug, api, form } = await tenantWithForm();
    const body = { name: "Ann", email: "ann@example.com", consent: true, notes: "Gutters" };
    const first = (await (await postJson(slug, body)).json()) as { submission_id: string };
    const second = await postJson(slug, body);
    expect(second.status).toBe(201);
    expect(await second.json()).toEqual({ status: "success", submission_id: first.submission_id });

    const from = (ip: string) => {
      const headers: Record<string, string> = { "idempotency-key": "order-42" };
      stampPeer(headers, ip);
      return headers;
    };
    const bo = { name: "Bo", phone: "6125550123", consent: true };
    const a = (await (await postJson(slug, bo, from("203.0.113.10"))).json()) as { submission_id: string };
    const b = await postJson(slug, bo, from("203.0.113.10"));
    expect(((await b.json()) as { submission_id: string }).submission_id).toBe(a.submission_id);
    // The same client, the same key, other content: the key is another submission's.
    const reused = await postJson(slug, { ...bo, name: "Bo B" }, from("203.0.113.10"));
    expect(reused.status).toBe(422);
    expect(await reused.json()).toMatchObject({ status: "error", error_code: "IDEMPOTENCY_KEY_REUSED" });
    // Another visitor who happens to send the same key: their own submission, their own lead.
    const cy = await postJson(
      slug,
      { name: "Cy", phone: "6125550188", consent: true },
      from("198.51.100.20"),
    );
    expect(cy.status).toBe(201);
    expect(((await cy.json()) as { submission_id: string }).submission_id).not.toBe(a.submission_id);
    expect((await api.list<{ data: Lead[] }>()).body.data.map((l) => l.name).sort()).toEqual([
      "Ann",
      "Bo",
      "Cy",
    ]);
    expect(await keptOf(form.id)).toHaveLength(3);
  });
});

describe("where a lead came from", () => {
  it("carries the embedding page, its referrer, UTM tags and click ids into a new lead", async () => {
    const { slug, api } = await tenantWithForm();
    const page =
      "https://shop.example/windows?utm_source=google&utm_medium=cpc&utm_campaign=spring&gclid=abc123";
    const query = new URLSearchParams({ page, ref: "https://www.google.com/" });
    const html = await (await formPage.GET(new Request(`${PORTAL}/f/${slug}?${query}`), params(slug))).text();
    const hidden = (name: string) =>
      new RegExp(`name="${name}" value="([^"]+)"`).exec(html)?.[1]?.replace(/&amp;/g, "&");
    expect(hidden("_page")).toBe(page);
    expect(hidden("_ref")).toBe("https://www.google.com/");

    const res = await postForm(slug, {
      name: "Ann",
      email: "ann@example.com",
      consent: "on",
      _page: hidden("_page")!,
      _ref: hidden("_ref")!,
    });
    expect(res.status).toBe(303);
    const [lead] = (await api.list<{ data: Lead[] }>()).body.data;
    expect(lead!.tags).toEqual([
      "website",
      "utm:google",
      "utm_source:google",
      "utm_medium:cpc",
      "utm_campaign:spring",
    ]);
    expect(lead!.source).toBe(`website · page ${page} · from https://www.google.com/ · gclid abc123`);
  });

  it("opened directly, keeps its own address's UTM parameters and the browser's referrer", async () => {
    const { slug } = await tenantWithForm();
    const html = await (
      await formPage.GET(
        new Request(`${PORTAL}/f/${slug}?utm_source=newsletter`, {
          headers: { referer: "https://mail.example/" },
        }),
        params(slug),
      )
    ).text();
    expect(html).toContain(`name="_page" value="${PORTAL}/f/${slug}?utm_source=newsletter"`);
    expect(html).toContain('name="_ref" value="https://mail.example/"');
  });
});

describe("GET /embed.js", () => {
  it("is the loader: small, cacheable, and it trusts only its own origin's messages", async () => {
    const res = embed.GET();
    expect(res.headers.get("content-type")).toContain("text/javascript");
    const body = await res.text();
    expect(body).toBe(EMBED_SCRIPT);
    expect(body).toContain("e.origin===o&&e.source===i.contentWindow");
    const { gzipSync } = await import("node:zlib");
    expect(gzipSync(body).length).toBeLessThanOrEqual(1000);
  });
});
