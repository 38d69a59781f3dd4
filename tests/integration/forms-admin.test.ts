import { randomInt } from "node:crypto";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import * as formPage from "@/app/(public)/f/[slug]/route";
import * as formsRoute from "@/app/api/admin/forms/route";
import * as formRoute from "@/app/api/admin/forms/[slug]/route";
import * as intake from "@/app/api/intake/[slug]/route";
import { setClock } from "@/lib/clock";
import { updateProfile } from "@/lib/company/profile";
import { HONEYPOT_FIELD } from "@/lib/forms/guard";
import { findForm, updateForm } from "@/lib/forms/repository";
import { CONTACT_FORM } from "@/lib/forms/schema";
import { companyFormFigures, dayIn, isPersonsView } from "@/lib/forms/stats";
import { newTenant } from "../support/fixtures";
import { submitJson, tenantWithForm } from "../support/forms";
import { call, fromAddress, json, newUser, ORIGIN, sessionCookie } from "../support/staff";

const BROWSER =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const SHOP = "https://shop.example";
/** The portal as the admin reaches it: pages there are "direct". */
const PORTAL_HOST = new URL(ORIGIN).host;

type FormBody = { data: Record<string, unknown> & { slug: string; title: string } };

/** A client address of its own, so that no hourly limit counts another test's submissions. */
const someAddress = () => fromAddress(`198.51.${randomInt(256)}.${randomInt(1, 255)}`);

const params = (slug: string) => ({ params: Promise.resolve({ slug }) });
const view = (slug: string, query = "", headers: Record<string, string> = { "user-agent": BROWSER }) =>
  formPage.GET(new Request(`${ORIGIN}/f/${slug}${query}`, { headers }), params(slug));
const startBeacon = (slug: string, page: string) =>
  intake.POST(
    new Request(`${ORIGIN}/api/intake/${slug}?event=start`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded;charset=UTF-8",
        origin: ORIGIN,
        "user-agent": BROWSER,
      },
      body: new URLSearchParams({ _page: page }),
    }),
    params(slug),
  );

afterEach(() => setClock(null));

describe("forms in the admin: create, duplicate, archive, restore", () => {
  let tenant: Awaited<ReturnType<typeof tenantWithForm>>;
  let memberCookie: string;
  const create = (body: unknown, cookie = tenant.cookie) =>
    call(formsRoute, "/api/admin/forms", { method: "POST", cookie, body });
  const patch = (slug: string, body: unknown, cookie = tenant.cookie) =>
    call(formRoute, `/api/admin/forms/${slug}`, { method: "PATCH", params: { slug }, cookie, body });

  beforeAll(async () => {
    tenant = await tenantWithForm();
    memberCookie = await sessionCookie(await newUser(tenant.company.id, "member"));
  });

  it("creates a form with the contact form's fields, and refuses bad or taken addresses beside the slug", async () => {
    const slug = `quote-${tenant.slug}`;
    const res = await create({ title: "  Get a quote ", slug });
    expect(res.status).toBe(201);
    const { data } = await json<FormBody>(res);
    expect(data).toMatchObject({ slug, title: "Get a quote", archivedAt: null, spamCount: 0 });
    const stored = await findForm(slug);
    expect(stored?.companyId).toBe(tenant.company.id);
    expect(stored?.settings.fields.map((f) => f.name)).toEqual(
      CONTACT_FORM.settings.fields.map((f) => f.name),
    );
    expect(stored?.defaultTags).toEqual(CONTACT_FORM.defaultTags);

    const taken = await create({ title: "Again", slug });
    expect(taken.status).toBe(400);
    expect(await json(taken)).toEqual({
      status: "error",
      message: "Validation failed",
      errors: [{ field: "slug", message: `The address /f/${slug} is already taken: choose another` }],
    });
    // Another company's address is as taken: addresses are public.
    const other = await newTenant();
    const otherAdmin = await sessionCookie(await newUser(other.company.id, "admin"));
    expect((await create({ title: "Mine", slug }, otherAdmin)).status).toBe(400);

    for (const bad of ["Get A Quote", "get_a_quote", "-quote", "quote--now", "quote/now", "ça"]) {
      const res = await create({ title: "Quote", slug: bad });
      expect(res.status, bad).toBe(400);
      expect(await json(res)).toEqual({
        status: "error",
        message: "Validation failed",
        errors: [
          { field: "slug", message: "Use lower-case letters, digits and dashes only, such as spring-quote" },
        ],
      });
    }
    expect(await json(await create({}))).toEqual({
      status: "error",
      message: "Validation failed",
      errors: [
        { field: "title", message: "Required" },
        { field: "slug", message: "Required" },
      ],
    });
  });

  it("duplicates everything but the address, keys and counters, under the next free -copy address", async () => {
    await updateForm(
      tenant.slug,
      { intro: "Windows, gutters and more.", allowedOrigins: [SHOP], defaultTags: ["spring"] },
      tenant.company.id,
    );
    const copy = async () => {
      const res = await create({ duplicate_of: tenant.slug });
      expect(res.status).toBe(201);
      return (await json<FormBody>(res)).data;
    };
    const first = await copy();
    expect(first).toMatchObject({
      slug: `${tenant.slug}-copy`,
      title: "Contact us (copy)",
      intro: "Windows, gutters and more.",
      allowedOrigins: [SHOP],
      defaultTags: ["spring"],
      spamCount: 0,
      archivedAt: null,
    });
    expect(first.id).not.toBe(tenant.form.id);
    expect(first.settings).toEqual(tenant.form.settings);
    expect((await copy()).slug).toBe(`${tenant.slug}-copy-2`);
    // A title and an address of the admin's own choosing.
    const named = await create({ duplicate_of: tenant.slug, title: "Spring", slug: `spring-${tenant.slug}` });
    expect(await json(named)).toMatchObject({ data: { title: "Spring", slug: `spring-${tenant.slug}` } });
  });

  it("is for the company's admins only", async () => {
    expect((await create({ title: "Member's", slug: `m-${tenant.slug}` }, memberCookie)).status).toBe(403);
    expect((await create({ duplicate_of: tenant.slug }, memberCookie)).status).toBe(403);
    expect((await patch(tenant.slug, { archived: true }, memberCookie)).status).toBe(403);
    expect((await create({ title: "Anyone's", slug: `a-${tenant.slug}` }, "")).status).toBe(401);
    expect((await patch(tenant.slug, { archived: true }, "")).status).toBe(401);
    const other = await tenantWithForm();
    expect((await create({ duplicate_of: other.slug })).status).toBe(404);
    expect((await patch(other.slug, { archived: true })).status).toBe(404);
    expect((await findForm(other.slug))?.archivedAt).toBeNull();
    expect(await findForm(`m-${tenant.slug}`)).toBeUndefined();
  });

  it("archives a form: its page and intake answer 410 at once; restored, they work again", async () => {
    const { slug, company, cookie } = await tenantWithForm();
    await updateProfile(company.id, {
      name: "Clearview Windows",
      phone: "+16125550100",
      replyTo: null,
      logo: null,
    });
    expect((await view(slug)).status).toBe(200);

    const archived = await patch(slug, { archived: true }, cookie);
    expect(archived.status).toBe(200);
    expect((await json<FormBody>(archived)).data.archivedAt).toEqual(expect.any(String));
    // Not the cached form of a moment ago (lib/forms/repository.ts).
    const page = await view(slug);
    expect(page.status).toBe(410);
    const html = await page.text();
    expect(html).toContain("This form no longer takes requests.");
    expect(html).toContain('<a href="tel:+16125550100">Call (612) 555-0100</a>');

    const sent = await submitJson(slug, { name: "Ann", phone: "612-555-0199" }, someAddress());
    expect(sent.status).toBe(410);
    expect(await json(sent)).toEqual({
      status: "error",
      message: "This form no longer takes requests",
      error_code: "FORM_ARCHIVED",
    });
    const posted = await intake.POST(
      new Request(`${ORIGIN}/api/intake/${slug}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", ...someAddress() },
        body: new URLSearchParams({ name: "Ann", phone: "612-555-0199" }),
      }),
      params(slug),
    );
    expect(posted.status).toBe(410);
    expect(posted.headers.get("content-type")).toContain("text/html");
    expect(await posted.text()).toContain("Call (612) 555-0100");

    const list = await json<{ data: { slug: string; archivedAt: string | null }[] }>(
      await call(formsRoute, "/api/admin/forms", { cookie }),
    );
    expect(list.data.find((f) => f.slug === slug)?.archivedAt).toEqual(expect.any(String));

    const restored = await patch(slug, { archived: false }, cookie);
    expect((await json<FormBody>(restored)).data.archivedAt).toBeNull();
    expect((await view(slug)).status).toBe(200);
    expect((await submitJson(slug, { name: "Ann", phone: "612-555-0199" }, someAddress())).status).toBe(201);
    expect((await patch(slug, { archived: "yes" }, cookie)).status).toBe(400);
  });
});

describe("how each form converts", () => {
  it("tells people's views from robots' and prefetches", () => {
    const req = (headers: Record<string, string>) => new Request(`${ORIGIN}/f/x`, { headers });
    expect(isPersonsView(req({ "user-agent": BROWSER }))).toBe(true);
    expect(isPersonsView(req({}))).toBe(false);
    for (const agent of [
      "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
      "Mozilla/5.0 (compatible; bingbot/2.0)",
      "facebookexternalhit/1.1",
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36",
      "Mozilla/5.0 (Linux; Android 11) Chrome-Lighthouse",
      "curl/8.5.0",
      "python-requests/2.31",
      "node",
    ]) {
      expect(isPersonsView(req({ "user-agent": agent })), agent).toBe(false);
    }
    const prefetches: Record<string, string>[] = [
      { "sec-purpose": "prefetch" },
      { "sec-purpose": "prefetch;prerender" },
      { purpose: "prefetch" },
      { "x-moz": "prefetch" },
    ];
    for (const headers of prefetches) {
      expect(isPersonsView(req({ "user-agent": BROWSER, ...headers }))).toBe(false);
    }
  });

  it("counts views, starts, submissions and spam by source, campaign and day, in the company's zone", async () => {
    const { slug, form, company } = await tenantWithForm();
    await updateForm(slug, { allowedOrigins: [SHOP] }, company.id);
    await updateProfile(company.id, {
      name: "Clearview Windows",
      phone: null,
      replyTo: null,
      logo: null,
      timeZone: "America/Chicago",
    });
    // 03:00 UTC is still the evening before in Chicago.
    setClock(() => new Date("2026-03-10T03:00:00Z"));
    expect(dayIn("America/Chicago", new Date("2026-03-10T03:00:00Z"))).toBe("2026-03-09");

    const shopPage = `${SHOP}/windows?utm_source=google&utm_campaign=spring`;
    // Embedded on the shop's page, twice; opened directly once; robots and a prefetch are not counted.
    expect((await view(slug, `?${new URLSearchParams({ page: shopPage })}`)).status).toBe(200);
    await view(slug, `?${new URLSearchParams({ page: shopPage, ref: "https://www.google.com/" })}`);
    await view(slug, "?utm_campaign=mail");
    await view(slug, "", { "user-agent": "Googlebot/2.1" });
    await view(slug, "", {});
    await view(slug, "", { "user-agent": BROWSER, "sec-purpose": "prefetch" });
    await view(slug, "", { "user-agent": BROWSER, purpose: "prefetch" });

    // The first input on the embedded form, as the page's script reports it.
    const started = await startBeacon(slug, shopPage);
    expect(started.status).toBe(204);
    // Not a submission: nothing kept, nothing made.
    await startBeacon(slug, `${ORIGIN}/f/${slug}?utm_campaign=mail`);

    // A person on the shop's page, one on the form's own page, and spam (the honeypot) from the shop.
    const shopVisitor = someAddress();
    const submit = (body: Record<string, string>) => submitJson(slug, body, { origin: SHOP, ...shopVisitor });
    expect((await submit({ name: "Ann", phone: "612-555-0101", _page: shopPage })).status).toBe(201);
    expect(
      (
        await submitJson(
          slug,
          { name: "Bo", email: "bo@example.com", _page: `${ORIGIN}/f/${slug}` },
          someAddress(),
        )
      ).status,
    ).toBe(201);
    expect(
      (await submit({ name: "Spam", phone: "612-555-0102", _page: shopPage, [HONEYPOT_FIELD]: "http://x" }))
        .status,
    ).toBe(201);
    // The same submission again gets the first answer and is not counted twice.
    expect((await submit({ name: "Ann", phone: "612-555-0101", _page: shopPage })).status).toBe(201);

    const figures = (await companyFormFigures(company.id, PORTAL_HOST)).get(form.id);
    expect(figures).toMatchObject({ views: 3, starts: 2, submits: 2, spam: 1 });
    expect(figures?.bySource).toEqual([
      { source: "shop.example", views: 2, starts: 1, submits: 1, spam: 1 },
      { source: "direct", views: 1, starts: 1, submits: 1, spam: 0 },
    ]);
    expect(figures?.byCampaign).toEqual([
      { campaign: "spring", views: 2, starts: 1, submits: 1, spam: 1 },
      { campaign: "mail", views: 1, starts: 1, submits: 0, spam: 0 },
      { campaign: "", views: 0, starts: 0, submits: 1, spam: 0 },
    ]);

    // The next morning in Chicago, a day of its own.
    setClock(() => new Date("2026-03-10T15:00:00Z"));
    await view(slug, "?utm_campaign=mail");
    expect((await companyFormFigures(company.id, PORTAL_HOST)).get(form.id)?.byDay).toEqual([
      { day: "2026-03-10", views: 1, starts: 0, submits: 0, spam: 0 },
      { day: "2026-03-09", views: 3, starts: 2, submits: 2, spam: 1 },
    ]);

    // The last 30 days, today included, in Chicago: April 7th's still hold March 9th, April 8th's not.
    setClock(() => new Date("2026-04-07T06:00:00Z"));
    expect((await companyFormFigures(company.id, PORTAL_HOST)).get(form.id)?.views).toBe(4);
    setClock(() => new Date("2026-04-08T06:00:00Z"));
    expect((await companyFormFigures(company.id, PORTAL_HOST)).get(form.id)?.views).toBe(1);
    setClock(() => new Date("2026-04-09T06:00:00Z"));
    expect((await companyFormFigures(company.id, PORTAL_HOST)).has(form.id)).toBe(false);
  });

  it("keeps each company's figures to itself, and counts nothing for an archived form", async () => {
    const { slug, form, company, cookie } = await tenantWithForm();
    const other = await tenantWithForm();
    await view(slug, "?utm_campaign=fall");
    await startBeacon(slug, `${ORIGIN}/f/${slug}?utm_campaign=fall`);
    const page = `${ORIGIN}/f/${slug}?utm_campaign=fall`;
    await submitJson(slug, { name: "Cy", phone: "612-555-0103", _page: page }, someAddress());
    expect((await companyFormFigures(company.id, PORTAL_HOST)).get(form.id)).toMatchObject({
      views: 1,
      starts: 1,
      submits: 1,
      spam: 0,
      byCampaign: [{ campaign: "fall", views: 1, starts: 1, submits: 1, spam: 0 }],
    });
    expect((await companyFormFigures(other.company.id, PORTAL_HOST)).has(form.id)).toBe(false);

    await call(formRoute, `/api/admin/forms/${slug}`, {
      method: "PATCH",
      params: { slug },
      cookie,
      body: { archived: true },
    });
    expect((await view(slug)).status).toBe(410);
    expect((await startBeacon(slug, page)).status).toBe(410);
    expect((await companyFormFigures(company.id, PORTAL_HOST)).get(form.id)).toMatchObject({
      views: 1,
      starts: 1,
      submits: 1,
    });
  });
});
