import { PasswordForm } from "@/components/admin/password-form";
import { adminPage } from "@/lib/auth/admin-page";

export default adminPage({}, async (user) => (
  <>
    <h1>Your account</h1>
    <p>
      {user.name ? `${user.name}, ` : ""}
      {user.email} · {user.role}
    </p>
    <h2>Change your password</h2>
    <p className="muted">Every other session ends, on every device; this one stays signed in.</p>
    <PasswordForm />
  </>
));
