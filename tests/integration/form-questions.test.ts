import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as formPage from "@/app/(public)/f/[slug]/route";
import * as thanksPage from "@/app/(public)/f/[slug]/thanks/route";
import * as intake from "@/app/api/intake/[slug]/route";
import * as exportRoute from "@/app/api/admin/leads/export/route";
import * as formRoute from "@/app/api/admin/forms/[slug]/route";
import { getDb } from "@/lib/db/client";
import { outbox, submissions, webhookEndpoints } from "@/lib/db/schema";
import { createForm, type NewForm } from "@/lib/forms/repository";
import { CONTACT_FORM, formSettingsSchema } from "@/lib/forms/schema";
import { webhookBody } from "@/lib/webhooks";
import { newTenant } from "../support/fixtures";
import { newUser, ORIGIN, sessionCookie } from "../support/staff";
import { submitJson } from "../support/forms";

/** A roofer's quote form: its own questions, one shown only for gutters, and a preferred time. */
const QUOTE: NewForm["settings"] = {
  ...CONTACT_FORM.settings,
  consent: null,
  questions: [
    { key: "storeys", type: "number", label: "How many storeys?", required: true },
    {
      key: "service",
      type: "choice",
      label: "What do you need?",
      choices: ["Roof repair", "New roof", "Gutters"],
      copyTo: "service_type",
    },
    { key: "gutters_too", type: "yes_no", label: "Gutters too?" },
    {
      key: "gutter_feet",
      type: "short_text",
      label: "About how many feet of gutter?",
      required: true,
      showWhen: { key: "gutters_too", equals: "yes" },
    },
    { key: "extras", type: "choices", label: "Anything else?", choices: ["Skylight", "Chimney"] },
    { key: "deadline", type: "date", label: "Needed by", copyTo: "follow_up_date" },
  ],
  preferredTime: true,
  serviceArea: { zips: ["554", "55073"] },
};

async function quoteForm(settings: NewForm["settings"] = QUOTE) {
  const tenant = await newTenant();
  const slug = `roof-${randomUUID().slice(0, 8)}`;
  const form = await createForm(tenant.company.id, { slug, title: "Roof quote", settings });
  const admin = await newUser(tenant.company.id, "admin");
  return { ...tenant, form, slug, admin, cookie: await sessionCookie(admin) };
}

const params = (slug: string) => ({ params: Promise.resolve({ slug }) });

/** An HTML form's post, url-encoded, a name given several times for ticked boxes. */
function postForm(slug: string, fields: [string, string][]) {
  return intake.POST(
    new Request(`${ORIGIN}/api/intake/${slug}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields).toString(),
    }),
    params(slug),
  );
}

async function keptAnswers(formId: string) {
  const db = await getDb();
  return db
    .select({ status: submissions.status, answers: submissions.answers, leadId: submissions.leadId })
    .from(submissions)
    .where(eq(submissions.formId, formId))
    .orderBy(submissions.receivedAt);
}

describe("a form's own questions", () => {
  it("renders every type with its label, help and options, and hides a conditional one by style until its condition holds", async () => {
    const { slug } = await quoteForm();
    const res = await formPage.GET(new Request(`${ORIGIN}/f/${slug}`), params(slug));
    const html = await res.text();
    expect(html).toContain('<label for="f-q_storeys">How many storeys?</label>');
    expect(html).toMatch(/<input id="f-q_storeys"[^>]*inputMode="decimal" name="q_storeys"/);
    expect(html).toMatch(/<fieldset class="field" id="f-q_service"[^>]*role="radiogroup"/);
    expect(html).toContain('<input type="radio" name="q_service" value="Gutters"/>');
    expect(html).toContain('<input type="checkbox" name="q_extras" value="Chimney"/>');
    expect(html).toContain('<input type="radio" name="q_gutters_too" value="yes"/>');
    expect(html).toMatch(/<input id="f-q_deadline"[^>]*type="date" name="q_deadline"/);
    // The conditional question: in a wrapper its style hides until "yes" is checked, and it says when it applies.
    expect(html).toContain('<div id="w-q_gutter_feet">');
    expect(html).toContain(
      'form:not(:has([name="q_gutters_too"][value="yes"]:checked,[name="q_gutters_too"] option[value="yes"]:checked)) #w-q_gutter_feet{display:none}',
    );
    expect(html).toContain("Only if you answered Yes to “Gutters too?”");
    // The preferred time: a date and three parts of the day.
    expect(html).toMatch(/<input id="f-preferred_date" type="date" name="preferred_date"/);
    for (const part of ["morning", "afternoon", "evening"]) {
      expect(html).toContain(`<input type="radio" name="preferred_time" value="${part}"/>`);
    }
    // Still no script but the page's own.
    expect(html.match(/<script/g)).toHaveLength(1);
  });

  it("keeps the answers with the submission, copies the chosen ones onto the lead, and ignores a question not asked", async () => {
    const { slug, form, api } = await quoteForm();
    const res = await postForm(slug, [
      ["name", "Ann Lee"],
      ["phone", "(612) 555-0100"],
      ["address_zip", "55401"],
      ["q_storeys", "2"],
      ["q_service", "New roof"],
      ["q_gutters_too", "no"],
      // Typed before "no" was picked: the question was not asked, so its answer is not kept.
      ["q_gutter_feet", "120"],
      ["q_extras", "Skylight"],
      ["q_extras", "Chimney"],
      ["q_deadline", "2027-03-01"],
      ["preferred_date", "2027-02-15"],
      ["preferred_time", "morning"],
    ]);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/f/${slug}/thanks`);
    const [kept] = await keptAnswers(form.id);
    expect(kept!.status).toBe("lead");
    expect(kept!.answers).toEqual([
      { key: "storeys", label: "How many storeys?", value: 2 },
      { key: "service", label: "What do you need?", value: "New roof" },
      { key: "gutters_too", label: "Gutters too?", value: false },
      { key: "extras", label: "Anything else?", value: ["Skylight", "Chimney"] },
      { key: "deadline", label: "Needed by", value: "2027-03-01" },
      { key: "preferred_date", label: "Preferred date", value: "2027-02-15" },
      { key: "preferred_time", label: "Preferred time", value: "Morning" },
    ]);
    const lead = (await api.list<{ data: Record<string, unknown>[] }>()).body.data[0]!;
    expect(lead.service_type).toBe("New roof");
    expect(String(lead.follow_up_date)).toContain("2027-03-01");
    // Inside the service area: no tag.
    expect(lead.tags).not.toContain("outside-service-area");
  });

  it("asks for a conditional question only when its condition holds, and shows every typed answer back with the messages", async () => {
    const { slug, form } = await quoteForm();
    const res = await postForm(slug, [
      ["name", "Ann Lee"],
      ["email", "ann@example.com"],
      ["q_storeys", "two"],
      ["q_service", "Chimney sweep"],
      ["q_gutters_too", "yes"],
      ["q_extras", "Chimney"],
      ["q_deadline", "2027-02-30"],
      ["preferred_time", "night"],
    ]);
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('<p class="error" id="f-q_storeys-error">Please enter a number</p>');
    expect(html).toContain('<p class="error" id="f-q_service-error">Please choose one of the options</p>');
    expect(html).toContain('<p class="error" id="f-q_gutter_feet-error">Please answer this question</p>');
    expect(html).toContain('<p class="error" id="f-q_deadline-error">Please enter a date</p>');
    expect(html).toContain(
      '<p class="error" id="f-preferred_time-error">Please choose morning, afternoon or evening</p>',
    );
    // What was typed and ticked comes back.
    expect(html).toMatch(/name="q_storeys" value="two"/);
    expect(html).toContain('<input type="radio" name="q_gutters_too" checked="" value="yes"/>');
    expect(html).toContain('<input type="checkbox" name="q_extras" checked="" value="Chimney"/>');
    expect(html).toMatch(
      /<fieldset class="field" id="f-q_service"[^>]*aria-invalid="true"[^>]*aria-describedby="f-q_service-error"/,
    );
    expect((await keptAnswers(form.id))[0]!.status).toBe("invalid");
  });

  it("takes the same answers as JSON, ticked boxes as a list", async () => {
    const { slug, form } = await quoteForm();
    const res = await submitJson(slug, {
      name: "Bo Berg",
      email: "bo@example.com",
      q_storeys: "1",
      q_gutters_too: "yes",
      q_gutter_feet: "80",
      q_extras: ["Skylight"],
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ status: "success", submission_id: expect.any(String) });
    expect((await keptAnswers(form.id))[0]!.answers).toEqual([
      { key: "storeys", label: "How many storeys?", value: 1 },
      { key: "gutters_too", label: "Gutters too?", value: true },
      { key: "gutter_feet", label: "About how many feet of gutter?", value: "80" },
      { key: "extras", label: "Anything else?", value: ["Skylight"] },
    ]);
  });

  it("sends the answers with the submission's webhook event and in the CSV export", async () => {
    const { slug, form, company, cookie } = await quoteForm();
    const db = await getDb();
    await db
      .insert(webhookEndpoints)
      .values({ companyId: company.id, url: "https://hooks.example/in", secret: "s" });
    await submitJson(slug, { name: "Cy Dahl", phone: "6125550111", q_storeys: "3", q_service: "Gutters" });
    const [kept] = await keptAnswers(form.id);
    const [item] = await db
      .select()
      .from(outbox)
      .where(and(eq(outbox.companyId, company.id), eq(outbox.kind, "webhook")));
    const event = JSON.parse(webhookBody(item!));
    expect(event.type).toBe("lead.created");
    expect(event.data.service_type).toBe("Gutters");
    expect(event.answers).toEqual([
      { key: "storeys", label: "How many storeys?", value: 3 },
      { key: "service", label: "What do you need?", value: "Gutters" },
    ]);

    const csv = await (
      await exportRoute.GET(new Request(`${ORIGIN}/api/admin/leads/export`, { headers: { cookie } }), {
        params: Promise.resolve({}),
      })
    ).text();
    const [header, row] = csv.replace(/^\uFEFF/, "").split("\r\n");
    expect(header!.split(",").at(-1)).toBe("answers");
    expect(row).toContain("How many storeys?: 3; What do you need?: Gutters");
    expect(kept!.leadId).toBeTruthy();
  });

  it("tags an address outside the service area, keeps it, and tells the visitor kindly with the phone", async () => {
    const { slug, form, api } = await quoteForm();
    const res = await postForm(slug, [
      ["name", "Di Eck"],
      ["phone", "6125550122"],
      ["address_zip", "60601"],
      ["q_storeys", "1"],
    ]);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/f/${slug}/thanks?area=outside`);
    const lead = (await api.list<{ data: { tags: string[] }[] }>()).body.data[0]!;
    expect(lead.tags).toContain("outside-service-area");
    expect((await keptAnswers(form.id))[0]!.status).toBe("lead");
    // A prefix serves every code it begins, a whole code itself.
    const inside = await submitJson(slug, {
      name: "Ed Fry",
      email: "ed@example.com",
      address_zip: "55073",
      q_storeys: "1",
    });
    expect(await inside.json()).not.toHaveProperty("outside_service_area");
    const outside = await submitJson(slug, {
      name: "Flo Gee",
      email: "flo@example.com",
      address_zip: "55074",
      q_storeys: "1",
    });
    expect(await outside.json()).toMatchObject({ status: "success", outside_service_area: true });

    const thanks = await (
      await thanksPage.GET(new Request(`${ORIGIN}/f/${slug}/thanks?area=outside`), params(slug))
    ).text();
    expect(thanks).toContain("Your address may be outside our area");
    expect(thanks).toContain("We have your request");
  });

  it("refuses settings whose questions break the rules, naming the question", async () => {
    const { slug, cookie } = await quoteForm();
    const patch = (settings: unknown) =>
      formRoute.PATCH(
        new Request(`${ORIGIN}/api/admin/forms/${slug}`, {
          method: "PATCH",
          headers: { cookie, "content-type": "application/json", origin: ORIGIN },
          body: JSON.stringify({ settings }),
        }),
        params(slug),
      );
    const base = formSettingsSchema.parse(QUOTE);
    const cases: [unknown, string][] = [
      [
        { ...base, questions: [...base.questions, { ...base.questions[0], label: "Again" }] },
        "“Again”: another question already has the key storeys",
      ],
      [
        { ...base, questions: [{ ...base.questions[3] }] },
        "“About how many feet of gutter?”: may depend only on a question above it",
      ],
      [
        {
          ...base,
          questions: [
            base.questions[1],
            { ...base.questions[3], showWhen: { key: "service", equals: "Fence" } },
          ],
        },
        "“About how many feet of gutter?”: must wait for one of the answers of “What do you need?”: Roof repair, New roof, Gutters",
      ],
      [
        { ...base, questions: [{ key: "size", type: "choice", label: "Size", choices: [] }] },
        "“Size”: a choice needs at least one option",
      ],
    ];
    for (const [settings, message] of cases) {
      const res = await patch(settings);
      expect(res.status).toBe(400);
      const body = await res.json();
      expect(body.errors).toContainEqual({ field: "settings", message });
    }
  });

  it("lets the back button keep a page with nothing of the visitor's on it, never one with what they typed", async () => {
    const { slug } = await quoteForm();
    const fresh = await formPage.GET(new Request(`${ORIGIN}/f/${slug}`), params(slug));
    expect(fresh.headers.get("cache-control")).toBe("private, no-cache");
    const thanks = await thanksPage.GET(new Request(`${ORIGIN}/f/${slug}/thanks`), params(slug));
    expect(thanks.headers.get("cache-control")).toBe("private, no-cache");
    const again = await postForm(slug, [["name", "Ann Lee"]]);
    expect(again.status).toBe(422);
    expect(again.headers.get("cache-control")).toBe("no-store");
  });
});
