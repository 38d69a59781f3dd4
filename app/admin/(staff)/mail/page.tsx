import { notFound } from "next/navigation";
import { DateTime } from "@/components/ui/date-time";
import { devMailbox, devMailboxOn } from "@/lib/alerts/dev-mail";
import { adminPage } from "@/lib/auth/admin-page";

/**
 * Development only: the emails alerts and auto-replies would send, since no SMTP server or Resend
 * key is set. They are printed in the terminal too.
 */
export default adminPage({ adminOnly: true }, async (user) => {
  if (!devMailboxOn()) notFound();
  const mails = await devMailbox(user.companyId);
  return (
    <>
      <h1>Mail (development)</h1>
      <p className="muted">
        No email is set up (<code>SMTP_URL</code> or <code>RESEND_API_KEY</code>), so on this development
        server the portal shows here, and in the terminal, each email it would have sent. Set one of them to
        send for real.
      </p>
      {mails.length === 0 ? (
        <p>
          No email yet. Send a test lead through one of your forms, or a test alert from your account page.
        </p>
      ) : (
        mails.map((mail) => (
          <article className="card mail" key={mail.id} aria-labelledby={`mail-${mail.id}`}>
            <h2 id={`mail-${mail.id}`}>{mail.message.subject}</h2>
            <p className="muted">
              To {mail.message.to} · {mail.purpose === "reply" ? "auto-reply" : "alert"} ·{" "}
              <DateTime value={mail.at} /> · {mail.status}
            </p>
            <pre>{mail.message.text}</pre>
          </article>
        ))
      )}
    </>
  );
});
