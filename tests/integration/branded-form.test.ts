import { afterEach, describe, expect, it } from "vitest";
import * as formRoute from "@/app/(public)/f/[slug]/route";
import * as thanksRoute from "@/app/(public)/f/[slug]/thanks/route";
import { setClock } from "@/lib/clock";
import { updateProfile } from "@/lib/company/profile";
import { brandColors, contrast } from "@/lib/forms/brand";
import { tenantWithForm } from "../support/forms";
import { ORIGIN } from "../support/staff";

const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);
const LOGO = `data:image/png;base64,${PNG.toString("base64")}`;

const params = (slug: string) => ({ params: Promise.resolve({ slug }) });
const get = (route: { GET: typeof formRoute.GET }, path: string, slug: string) =>
  route.GET(new Request(`${ORIGIN}${path}`), params(slug));

/** A form whose company has a profile: Mondays 9 to 5:30 in Chicago. */
async function brandedForm(profile: Partial<Parameters<typeof updateProfile>[1]> = {}) {
  const tenant = await tenantWithForm();
  await updateProfile(tenant.company.id, {
    name: "Clearview Windows",
    phone: "+16125550100",
    replyTo: null,
    logo: LOGO,
    color: "#0f766e",
    timeZone: "America/Chicago",
    businessHours: [{ open: "09:00", close: "17:30" }, null, null, null, null, null, null],
    replyWithin: "1 business day",
    ...profile,
  });
  return tenant;
}

afterEach(() => setClock(null));

describe("the public form under the business's own name (the company profile)", () => {
  it("shows the logo, the colour and a call link; phone and email under one legend", async () => {
    const { slug } = await brandedForm();
    const res = await get(formRoute, `/f/${slug}`, slug);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("<title>Contact us · Clearview Windows</title>");
    expect(html).toMatch(/<meta name="description" content="Tell us what you need/);
    expect(html).toContain(":root{--a:#0f766e;--t:#ffffff;--f:#0f766e}");
    const logo = /<img src="([^"]+)" alt="Clearview Windows" height="48"\/>/.exec(html)?.[1];
    expect(logo).toMatch(new RegExp(`^/f/${slug}\\?logo=[\\w-]{12}$`));
    expect(html).toContain('Rather talk? <a href="tel:+16125550100">Call (612) 555-0100</a>');
    // "Phone or email (one is needed)", neither of them marked optional; the street still is.
    expect(html).toMatch(/<legend>Phone or email <span class="opt">\(one is needed\)<\/span><\/legend>/);
    expect(html).toMatch(/<label for="f-phone">Phone<\/label>/);
    expect(html).toMatch(/<label for="f-email">Email<\/label>/);
    expect(html).toMatch(
      /<label for="f-address_street1">Street address(<!-- -->)? <span class="opt">\(optional\)/,
    );
    // The logo is the portal's own image, so the policy needs no other origin.
    expect(res.headers.get("content-security-policy")).toContain("img-src 'self' data:;");

    // The logo's own address answers its bytes, kept for good while the version is current.
    const image = await get(formRoute, logo!, slug);
    expect(image.status).toBe(200);
    expect(image.headers.get("content-type")).toBe("image/png");
    expect(image.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(Buffer.from(await image.arrayBuffer()).equals(PNG)).toBe(true);
    const stale = await get(formRoute, `/f/${slug}?logo=old`, slug);
    expect(stale.headers.get("cache-control")).toBe("public, max-age=300");
  });

  it("links a logo hosted elsewhere, and lets the page's policy load it from there only", async () => {
    const { slug } = await brandedForm({ logo: "https://cdn.clearview.example/logo.png" });
    const res = await get(formRoute, `/f/${slug}`, slug);
    const html = await res.text();
    expect(html).toContain('<img src="https://cdn.clearview.example/logo.png" alt="Clearview Windows"');
    expect(res.headers.get("content-security-policy")).toContain(
      "img-src 'self' data: https://cdn.clearview.example;",
    );
    expect((await get(formRoute, `/f/${slug}?logo=x`, slug)).status).toBe(404);
  });

  it("without a profile's logo, colour or phone: the name, the portal's blue, no call link", async () => {
    const { slug, company } = await tenantWithForm();
    const html = await (await get(formRoute, `/f/${slug}`, slug)).text();
    expect(html).toContain(`<div class="brand">${company.name}</div>`);
    expect(html).toContain(":root{--a:#1d4ed8;--t:#ffffff;--f:#1d4ed8}");
    expect(html).not.toContain("Rather talk?");
    expect(html).not.toContain("<img");
    expect((await get(formRoute, `/f/${slug}?logo=x`, slug)).status).toBe(404);
  });

  it("keeps the text on the button readable whatever the colour, and the focus ring visible", () => {
    for (const color of ["#0f766e", "#facc15", "#ffffff", "#000000", "#ff5722", "#7dd3fc", "#1e293b"]) {
      const { accent, onAccent, focus } = brandColors(color);
      expect(accent).toBe(color);
      expect(contrast(accent, onAccent)).toBeGreaterThanOrEqual(4.5);
      expect(contrast(focus, "#ffffff")).toBeGreaterThanOrEqual(3);
    }
    expect(brandColors("#facc15")).toEqual({ accent: "#facc15", onAccent: "#000000", focus: "#1d4ed8" });
  });

  it("thanks the visitor, says when they will hear back by the business's hours, and offers a call", async () => {
    const { slug } = await brandedForm();
    // Monday 10 am in Chicago: open.
    setClock(() => new Date("2026-12-07T16:00:00Z"));
    let html = await (await get(thanksRoute, `/f/${slug}/thanks`, slug)).text();
    expect(html).toContain("<h1>Request sent</h1>");
    expect(html).toContain(
      '<p role="status">Thank you! We received your request and will be in touch soon.</p>',
    );
    expect(html).toContain("<h2>What happens next</h2>");
    expect(html).toContain("<p>We reply within 1 business day during business hours: Mon 9–5:30.</p>");
    expect(html).toContain('<a class="button" href="tel:+16125550100">Call (612) 555-0100</a>');
    // Its script tells an embedding page the thanks' own height, so the frame shrinks to it.
    expect(html).toContain('parent.postMessage({type:"lead-portal:height",done:!f');
    // Sunday 8 pm in Chicago: closed until tomorrow.
    setClock(() => new Date("2026-12-07T02:00:00Z"));
    html = await (await get(thanksRoute, `/f/${slug}/thanks`, slug)).text();
    expect(html).toContain(
      "<p>We&#x27;re closed right now and will get back to you tomorrow at 9 am (hours: Mon 9–5:30).</p>",
    );
  });
});
