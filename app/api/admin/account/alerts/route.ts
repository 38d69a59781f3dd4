import { withSession } from "@/lib/api/with-session";
import { jsonResponse } from "@/lib/api/respond";
import { preferencesInput } from "@/lib/alerts/preferences";
import { savePreferences } from "@/lib/alerts/staff";
import { readJsonAs } from "@/lib/http/body";

// Vercel gives routes of one configuration one function: this (the default limit, stated) puts
// the admin's API in a function of its own, beside the public one (README, "Deploy on Vercel").
export const maxDuration = 300;

/** The signed-in user's own alert choices: which leads, which channels, quiet hours, digest. */
export const PUT = withSession({}, async ({ req, user }) => {
  const prefs = await savePreferences(user, await readJsonAs(req, preferencesInput));
  return jsonResponse({ data: prefs, message: "Alert settings saved", status: "success" });
});
