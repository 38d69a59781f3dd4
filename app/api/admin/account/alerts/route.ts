import { withSession } from "@/lib/api/with-session";
import { jsonResponse } from "@/lib/api/respond";
import { preferencesInput } from "@/lib/alerts/preferences";
import { savePreferences } from "@/lib/alerts/staff";
import { readJsonAs } from "@/lib/http/body";

/** The signed-in user's own alert choices: which leads, which channels, quiet hours, digest. */
export const PUT = withSession({}, async ({ req, user }) => {
  const prefs = await savePreferences(user, await readJsonAs(req, preferencesInput));
  return jsonResponse({ data: prefs, message: "Alert settings saved", status: "success" });
});
