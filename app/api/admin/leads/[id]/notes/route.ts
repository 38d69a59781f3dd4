import { z } from "zod";
import { withSession } from "@/lib/api/with-session";
import { jsonResponse } from "@/lib/api/respond";
import { readJsonAs } from "@/lib/http/body";
import { addNote } from "@/lib/leads/history";

// Vercel gives routes of one configuration one function: this (the default limit, stated) puts
// the admin's API in a function of its own, beside the public one (README, "Deploy on Vercel").
export const maxDuration = 300;

const noteSchema = z.object({ note: z.string().trim().min(1, "Write the note first").max(5000) });

/** A note on the lead's history, with its author. */
export const POST = withSession<{ id: string }>({}, async ({ req, user, params }) => {
  const { note } = await readJsonAs(req, noteSchema);
  await addNote(user, params.id, note);
  return jsonResponse({ message: "Note added", status: "success" }, 201);
});
