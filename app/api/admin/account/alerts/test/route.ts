import { withSession } from "@/lib/api/with-session";
import { jsonResponse } from "@/lib/api/respond";
import { sendTestAlert } from "@/lib/alerts/test-alert";
import { kickOutbox } from "@/lib/outbox/kick";

// Vercel gives routes of one configuration one function: this (the default limit, stated) puts
// the admin's API in a function of its own, beside the public one (README, "Deploy on Vercel").
export const maxDuration = 300;

/** Sends the user a test alert on each channel they turned on. */
export const POST = withSession({}, async ({ user }) => {
  const channels = await sendTestAlert(user);
  kickOutbox();
  return jsonResponse(
    { message: `A test alert is on its way ${channels.join(", ")}.`, status: "success" },
    202,
  );
});
