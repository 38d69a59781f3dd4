import { AlertSettings } from "@/components/admin/alert-settings";
import { PasswordForm } from "@/components/admin/password-form";
import { PushDevice } from "@/components/admin/push-device";
import { DateTime } from "@/components/ui/date-time";
import { mailTransport } from "@/lib/alerts/mail";
import { userSubscriptions, vapidKeys } from "@/lib/alerts/push";
import { smsEnabled } from "@/lib/alerts/sms";
import { userPreferences } from "@/lib/alerts/staff";
import { adminPage } from "@/lib/auth/admin-page";
import { listForms } from "@/lib/forms/repository";

export default adminPage({}, async (user) => {
  const [prefs, devices, keys, forms] = await Promise.all([
    userPreferences(user.id),
    userSubscriptions(user.id),
    vapidKeys(),
    listForms(user.companyId),
  ]);
  return (
    <>
      <h1>Your account</h1>
      <p>
        {user.name ? `${user.name}, ` : ""}
        {user.email} · {user.role}
      </p>
      <h2 id="alerts">Alerts</h2>
      <p className="muted">
        Hear of a lead within seconds: the first business to call back usually gets the job.
      </p>
      <AlertSettings
        initial={prefs}
        admin={user.role === "admin"}
        channels={{ email: mailTransport() !== null, sms: smsEnabled() }}
        forms={forms.map((f) => ({ id: f.id, title: f.title }))}
      />
      <h3>This device</h3>
      <PushDevice publicKey={keys.publicKey} />
      {devices.length > 0 ? (
        <>
          <h3>Devices with push alerts</h3>
          <ul>
            {devices.map((d) => (
              <li key={d.id}>
                {d.label ?? "A device"}, since <DateTime value={d.createdAt} />
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h2>Change your password</h2>
      <p className="muted">Every other session ends, on every device; this one stays signed in.</p>
      <PasswordForm />
    </>
  );
});
