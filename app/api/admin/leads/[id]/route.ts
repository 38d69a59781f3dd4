import { withSession } from "@/lib/api/with-session";
import { readJsonAs } from "@/lib/http/body";
import { jsonResponse } from "@/lib/api/respond";
import { leadEditSchema } from "@/lib/leads/admin";
import { linkedPhoto } from "@/lib/leads/lead-photos";
import { erasePerson } from "@/lib/leads/person";
import { leadStore } from "@/lib/leads/store";
import { checkLeadEdit } from "@/lib/leads/staff-rules";

// Vercel gives routes of one configuration one function: this (the default limit, stated) puts
// the admin's API in a function of its own, beside the public one (README, "Deploy on Vercel").
export const maxDuration = 300;

/**
 * The lead; or, with `?photo=&expires=&sig=` (a signed link from the lead page), one of the photos
 * attached to its submissions.
 */
export const GET = withSession<{ id: string }>({}, async ({ req, user, params }) => {
  const query = new URL(req.url).searchParams;
  if (query.has("photo")) {
    const photo = await linkedPhoto(user, params.id, query);
    return new Response(photo.bytes as Uint8Array<ArrayBuffer>, {
      headers: {
        "content-type": photo.contentType,
        "x-content-type-options": "nosniff",
        "cache-control": "private, max-age=600",
        "content-disposition": "inline",
      },
    });
  }
  const lead = await (await leadStore(user.companyId)).getForStaff(user, params.id);
  return jsonResponse({ data: lead, status: "success" });
});

export const PATCH = withSession<{ id: string }>({}, async ({ req, user, params }) => {
  const input = await readJsonAs(req, leadEditSchema);
  const store = await leadStore(user.companyId);
  await checkLeadEdit(user.companyId, input, () => store.getForStaff(user, params.id));
  const lead = await store.update(user, params.id, input);
  return jsonResponse({ data: lead, status: "success" });
});

/**
 * Erases the person (admins): the lead, its submissions, history and outbox items; an audit entry
 * keeps the counts only.
 */
export const DELETE = withSession<{ id: string }>({ adminOnly: true }, async ({ user, params }) => {
  const counts = await erasePerson(user, params.id);
  return jsonResponse({ message: "Erased", erased: counts, status: "success" });
});
