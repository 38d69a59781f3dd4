import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as formPage from "@/app/(public)/f/[slug]/route";
import * as leadRoute from "@/app/api/admin/leads/[id]/route";
import * as bulkRoute from "@/app/api/admin/leads/bulk/route";
import * as intake from "@/app/api/intake/[slug]/route";
import { setClock } from "@/lib/clock";
import { getDb } from "@/lib/db/client";
import { photos, submissions } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { createForm } from "@/lib/forms/repository";
import { CONTACT_FORM } from "@/lib/forms/schema";
import { photosOfLead } from "@/lib/photos/repository";
import { photoLink } from "@/lib/photos/signed-link";
import { startBlobStandIn } from "../support/blob-standin";
import { newTenant } from "../support/fixtures";
import { jpegWithGps, LATITUDE_BYTES, pngWithGps } from "../support/photos";
import { changeSettings } from "../support/settings";
import { call, newUser, ORIGIN, sessionCookie } from "../support/staff";

const PHOTOS = { label: "Photos of the job", help: "Show us what needs doing.", required: false };

/** A company with a form that asks for photos (and a consent box, sent after them), and its admin. */
async function photoForm(photoSettings: Partial<typeof PHOTOS> = {}) {
  const tenant = await newTenant();
  const slug = `photos-${randomUUID().slice(0, 8)}`;
  const form = await createForm(tenant.company.id, {
    ...CONTACT_FORM,
    slug,
    settings: {
      ...CONTACT_FORM.settings,
      photos: { ...PHOTOS, ...photoSettings },
      consent: { text: "You may contact me.", required: true },
    },
  });
  const admin = await newUser(tenant.company.id, "admin");
  return { ...tenant, form, slug, cookie: await sessionCookie(admin) };
}

type Part = string | { name: string; type: string; bytes: Uint8Array };

/** A multipart post of the form: as a browser sends it without JavaScript, or as its script does (json). */
function postMultipart(slug: string, parts: [string, Part][], json = false) {
  const data = new FormData();
  for (const [name, value] of parts) {
    if (typeof value === "string") data.append(name, value);
    else
      data.append(name, new File([value.bytes as Uint8Array<ArrayBuffer>], value.name, { type: value.type }));
  }
  return intake.POST(
    new Request(`${ORIGIN}/api/intake/${slug}`, {
      method: "POST",
      body: data,
      headers: json ? { accept: "application/json" } : {},
    }),
    { params: Promise.resolve({ slug }) },
  );
}

const jpeg = (name: string) => ({ name, type: "image/jpeg", bytes: jpegWithGps(800, 600) });
const png = (name: string) => ({ name, type: "image/png", bytes: pngWithGps(300, 200) });

const person = (name: string): [string, Part][] => [
  ["name", name],
  ["email", `${name.split(" ")[0]!.toLowerCase()}@example.com`],
  ["notes", "The <b>gutter</b> leaks"],
];

async function photoRows(submissionId: string) {
  const db = await getDb();
  return db.select().from(photos).where(eq(photos.submissionId, submissionId)).orderBy(photos.position);
}

async function leadOf(submissionId: string): Promise<string> {
  const db = await getDb();
  const [row] = await db.select().from(submissions).where(eq(submissions.id, submissionId));
  return row!.leadId!;
}

/** Two photos sent by the page's script; the submission's id, its lead's and its photos' rows. */
async function sendTwo(slug: string) {
  const res = await postMultipart(
    slug,
    [...person("Ann Lee"), ["photos", jpeg("roof.jpg")], ["photos", png("porch.png")], ["consent", "on"]],
    true,
  );
  expect(res.status).toBe(201);
  const { submission_id: submissionId } = (await res.json()) as { submission_id: string };
  return { submissionId, leadId: await leadOf(submissionId), rows: await photoRows(submissionId) };
}

async function fetchPhoto(leadId: string, link: string, cookie?: string) {
  return call(leadRoute, link, { cookie, params: { id: leadId } });
}

describe("the photo field on the public form", () => {
  it("shows a file input for up to 5 photos, the form posting multipart, the resizer allowed", async () => {
    const { slug } = await photoForm();
    const res = await formPage.GET(new Request(`${ORIGIN}/f/${slug}`), {
      params: Promise.resolve({ slug }),
    });
    const html = await res.text();
    // React writes the attribute as encType; HTML's attribute names ignore case.
    expect(html).toMatch(/ enctype="multipart\/form-data"/i);
    const input = /<input id="f-photos"[^>]*>/.exec(html)?.[0] ?? "";
    for (const attribute of [
      'type="file"',
      'name="photos"',
      'multiple=""',
      'accept="image/jpeg,image/png,image/webp,image/heic,image/heif"',
    ]) {
      expect(input).toContain(attribute);
    }
    expect(html).toContain('Photos of the job<!-- --> <span class="opt">(optional)</span>');
    expect(html).toContain("Show us what needs doing. Up to 5 photos.");
    // Without a script the photos are not made smaller: the page says the limit, with no script.
    expect(html).toContain(
      '<noscript><p class="opt">Without JavaScript, photos are sent as they are: 4.5 MB in all at most.</p></noscript>',
    );
    // The photo field comes before the consent box.
    expect(html.indexOf('id="f-photos"')).toBeLessThan(html.indexOf('id="f-consent"'));
    expect(res.headers.get("content-security-policy")).toMatch(/script-src 'sha256-[^ ]+' 'self'/);
  });

  it("is absent from a form without photos, whose policy allows no script file", async () => {
    const tenant = await newTenant();
    const slug = `plain-${randomUUID().slice(0, 8)}`;
    await createForm(tenant.company.id, { ...CONTACT_FORM, slug });
    const res = await formPage.GET(new Request(`${ORIGIN}/f/${slug}`), {
      params: Promise.resolve({ slug }),
    });
    const html = await res.text();
    expect(html).not.toContain('type="file"');
    expect(html).not.toMatch(/enctype/i);
    expect(res.headers.get("content-security-policy")).not.toContain("'self' 'sha");
    expect(res.headers.get("content-security-policy")).toMatch(/script-src 'sha256-[^ ;]+;/);
  });
});

describe("photos sent without JavaScript (a multipart post)", () => {
  it("refuses a file that claims to be a JPEG but is not, by its bytes, with the values kept", async () => {
    const { slug } = await photoForm();
    const fake = { name: "name.jpg", type: "image/jpeg", bytes: Buffer.from("<?php echo 'hi'; ?>") };
    const res = await postMultipart(slug, [...person("Ann Lee"), ["photos", fake], ["consent", "on"]]);
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain(
      '<p class="error" id="f-photos-error">“name.jpg” is not a photo we can take (JPEG, PNG, WebP or HEIC)</p>',
    );
    expect(html).toContain('value="Ann Lee"');
    expect(html).toContain("The &lt;b&gt;gutter&lt;/b&gt; leaks</textarea>");
  });

  it("refuses six photos", async () => {
    const { slug } = await photoForm();
    const six = Array.from({ length: 6 }, (_, i): [string, Part] => ["photos", jpeg(`p${i}.jpg`)]);
    const res = await postMultipart(slug, [...person("Ann Lee"), ...six, ["consent", "on"]]);
    expect(res.status).toBe(422);
    expect(await res.text()).toContain(
      '<p class="error" id="f-photos-error">You can attach up to 5 photos</p>',
    );
  });

  it("refuses a 20 MB photo with a message beside the field, every typed value (after it too) kept", async () => {
    const { slug, form } = await photoForm();
    const big = Buffer.alloc(20 * 1024 * 1024, 0x41);
    big.set(jpegWithGps(), 0);
    const res = await postMultipart(slug, [
      ...person("Bo Large"),
      ["photos", { name: "huge.jpg", type: "image/jpeg", bytes: big }],
      ["consent", "on"],
    ]);
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toContain("text/html");
    const html = await res.text();
    expect(html).toMatch(
      /<p class="error" id="f-photos-error">Your photos are too large to send: 4.5 MB at most/,
    );
    expect(html).toContain('value="Bo Large"');
    expect(html).toContain('value="bo@example.com"');
    expect(html).toContain("The &lt;b&gt;gutter&lt;/b&gt; leaks</textarea>");
    // The consent box, sent after the photo, comes back ticked.
    expect(html).toMatch(/<input id="f-consent" type="checkbox" name="consent" checked=""/);
    const db = await getDb();
    const kept = await db.select().from(submissions).where(eq(submissions.formId, form.id));
    expect(kept.map((s) => s.status)).toEqual(["invalid"]);
  });

  it("asks for a photo when the form requires one; an empty file input counts as none", async () => {
    const { slug } = await photoForm({ required: true });
    const empty = { name: "", type: "application/octet-stream", bytes: new Uint8Array(0) };
    const res = await postMultipart(slug, [...person("Cy Need"), ["photos", empty], ["consent", "on"]]);
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('id="f-photos-error">Please attach at least one photo</p>');
  });

  it("takes a submission with no photo chosen on a form where they are optional", async () => {
    const { slug } = await photoForm();
    const empty = { name: "", type: "application/octet-stream", bytes: new Uint8Array(0) };
    const res = await postMultipart(slug, [...person("Di Plain"), ["photos", empty], ["consent", "on"]]);
    expect(res.status).toBe(303);
  });
});

describe.each([
  ["the database or DATA_DIR", null],
  ["Vercel Blob", "blob"],
] as const)("two photos kept in %s", (_label, backend) => {
  const token = `vercel_blob_rw_teststore${randomUUID().slice(0, 6)}_${randomUUID().replaceAll("-", "")}`;
  let standIn: Awaited<ReturnType<typeof startBlobStandIn>> | undefined;
  let restore: (() => void) | undefined;
  beforeAll(async () => {
    if (backend !== "blob") return;
    standIn = await startBlobStandIn(token);
    restore = changeSettings({ BLOB_READ_WRITE_TOKEN: token, VERCEL_BLOB_API_URL: standIn.url });
  });
  afterAll(async () => {
    restore?.();
    await standIn?.close();
  });
  afterEach(() => setClock(null));

  const expected = () =>
    backend === "blob" ? "blob" : env().DATABASE_URL || env().DATA_DIR === "memory://" ? "db" : "file";

  it("are accepted from the page's script (multipart, JSON answer), stored without their location", async () => {
    const { slug } = await photoForm();
    const { leadId, rows } = await sendTwo(slug);
    expect(rows.map((r) => [r.name, r.contentType, r.width, r.height, r.storage])).toEqual([
      ["roof.jpg", "image/jpeg", 800, 600, expected()],
      ["porch.png", "image/png", 300, 200, expected()],
    ]);
    for (const row of rows) {
      if (row.storage === "db") expect(row.data?.byteLength).toBe(row.size);
      else expect(row.data).toBeNull();
      if (row.storage === "file") expect(existsSync(path.join(env().DATA_DIR, row.location!))).toBe(true);
      if (row.storage === "blob") {
        const blob = standIn!.blobs.get(row.location!);
        expect(blob).toMatchObject({ contentType: row.contentType, access: "private" });
        expect(blob!.bytes.includes(LATITUDE_BYTES)).toBe(false);
      }
    }
    const cookie = await sessionCookie(await newUser((await leadCompany(leadId))!, "admin"));
    for (const row of rows) {
      const res = await fetchPhoto(leadId, await photoLink(leadId, row.id), cookie);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe(row.contentType);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("cache-control")).toBe("private, max-age=600");
      expect(res.headers.get("content-disposition")).toBe("inline");
      const bytes = Buffer.from(await res.arrayBuffer());
      expect(bytes.length).toBe(row.size);
      // The GPS position the photo carried is not in what is kept.
      expect(bytes.includes(LATITUDE_BYTES)).toBe(false);
    }
  });

  it("are served through a signed link only to staff of the company, unexpired and untampered", async () => {
    const { slug } = await photoForm();
    const { leadId, rows } = await sendTwo(slug);
    const id = rows[0]!.id;
    const companyId = (await leadCompany(leadId))!;
    const staff = await sessionCookie(await newUser(companyId, "admin"));
    const link = await photoLink(leadId, id);
    expect((await fetchPhoto(leadId, link, staff)).status).toBe(200);
    // Anonymous.
    expect((await fetchPhoto(leadId, link)).status).toBe(401);
    // Another company's admin, with the same valid link.
    const other = await newTenant();
    const outsider = await sessionCookie(await newUser(other.company.id, "admin"));
    expect((await fetchPhoto(leadId, link, outsider)).status).toBe(404);
    // Tampered: another photo's id under this signature, or the signature changed.
    const otherPhoto = link.replace(id, rows[1]!.id);
    expect((await fetchPhoto(leadId, otherPhoto, staff)).status).toBe(403);
    const sig = new URL(link, ORIGIN).searchParams.get("sig")!;
    const changed = link.replace(`sig=${sig}`, `sig=${sig.slice(0, -2)}${sig.endsWith("AA") ? "BB" : "AA"}`);
    expect((await fetchPhoto(leadId, changed, staff)).status).toBe(403);
    const later = link.replace(/expires=(\d+)/, (_, e: string) => `expires=${Number(e) + 3600}`);
    expect((await fetchPhoto(leadId, later, staff)).status).toBe(403);
    // Expired: a link made eleven minutes ago.
    const start = Date.now();
    setClock(() => new Date(start - 11 * 60_000));
    const old = await photoLink(leadId, id);
    setClock(null);
    expect((await fetchPhoto(leadId, old, staff)).status).toBe(403);
    // Another lead's address with this lead's photo.
    const elsewhere = await sendTwo((await photoForm()).slug);
    const crossed = await photoLink(elsewhere.leadId, id);
    expect((await fetchPhoto(elsewhere.leadId, crossed, staff)).status).toBe(404);
  });

  it("go when the person is erased: rows, and the bytes wherever they were", async () => {
    const { slug, cookie } = await photoForm();
    const { leadId, rows } = await sendTwo(slug);
    const erased = await call(leadRoute, `/api/admin/leads/${leadId}`, {
      method: "DELETE",
      cookie,
      params: { id: leadId },
    });
    expect(erased.status).toBe(200);
    expect(((await erased.json()) as { erased: { photos: number } }).erased.photos).toBe(2);
    const db = await getDb();
    expect(await db.select().from(photos).where(eq(photos.companyId, rows[0]!.companyId))).toEqual([]);
    for (const row of rows) {
      if (row.storage === "file") expect(existsSync(path.join(env().DATA_DIR, row.location!))).toBe(false);
      if (row.storage === "blob") {
        expect(standIn!.deleted).toContain(row.location);
        expect(standIn!.blobs.has(row.location!)).toBe(false);
      }
    }
  });
});

describe("photos and merged leads", () => {
  it("follow their submission into the lead it was merged into", async () => {
    const { slug, cookie, company } = await photoForm();
    const first = await sendTwo(slug);
    const res = await postMultipart(
      slug,
      [
        ["name", "Ann Lee"],
        ["phone", "612 555 0177"],
        ["photos", png("shed.png")],
        ["consent", "on"],
      ],
      true,
    );
    expect(res.status).toBe(201);
    const { submission_id: secondId } = (await res.json()) as { submission_id: string };
    const second = { leadId: await leadOf(secondId), rows: await photoRows(secondId) };
    expect(second.leadId).not.toBe(first.leadId);
    const merged = await call(bulkRoute, "/api/admin/leads/bulk", {
      method: "POST",
      cookie,
      body: { action: "merge", ids: [first.leadId, second.leadId] },
    });
    expect(merged.status).toBe(200);
    const names = (await photosOfLead(company.id, first.leadId)).map((p) => p.name);
    expect(names.sort()).toEqual(["porch.png", "roof.jpg", "shed.png"]);
    const moved = second.rows[0]!.id;
    expect((await fetchPhoto(first.leadId, await photoLink(first.leadId, moved), cookie)).status).toBe(200);
    expect((await fetchPhoto(second.leadId, await photoLink(second.leadId, moved), cookie)).status).toBe(404);
  });
});

async function leadCompany(leadId: string): Promise<string | undefined> {
  const db = await getDb();
  const [row] = await db.select().from(submissions).where(eq(submissions.leadId, leadId)).limit(1);
  return row?.companyId;
}

describe("photos the storage refuses", () => {
  it("cost the submission nothing: it becomes a lead without them, its record naming them", async () => {
    const token = `vercel_blob_rw_teststore${randomUUID().slice(0, 6)}_${randomUUID().replaceAll("-", "")}`;
    const standIn = await startBlobStandIn(token);
    // A token the store does not know: every upload is refused (403).
    const restore = changeSettings({ BLOB_READ_WRITE_TOKEN: `${token}x`, VERCEL_BLOB_API_URL: standIn.url });
    try {
      const { slug } = await photoForm();
      const res = await postMultipart(
        slug,
        [...person("Bo Berg"), ["photos", jpeg("roof.jpg")], ["consent", "on"]],
        true,
      );
      expect(res.status).toBe(201);
      const { submission_id: submissionId } = (await res.json()) as { submission_id: string };
      expect(await leadOf(submissionId)).toBeTruthy();
      expect(await photoRows(submissionId)).toEqual([]);
      expect(standIn.blobs.size).toBe(0);
      const db = await getDb();
      const [kept] = await db.select().from(submissions).where(eq(submissions.id, submissionId));
      expect(JSON.stringify(kept!.fields)).toContain("roof.jpg");
    } finally {
      restore();
      await standIn.close();
    }
  });
});
