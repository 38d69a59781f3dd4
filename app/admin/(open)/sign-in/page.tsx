import { redirect } from "next/navigation";
import { connection } from "next/server";
import { SignInForm } from "@/components/admin/sign-in-form";
import { signInWithProvider } from "@/lib/auth/actions";
import { oauthProviders } from "@/lib/auth/auth";
import { currentUser } from "@/lib/auth/admin-page";
import { hasUsers } from "@/lib/auth/users";

const NOTICES: Record<string, string> = {
  AccessDenied: "That account is not allowed here. Ask an admin to add your email address.",
  CredentialsSignin: "That email and password do not match an account.",
  rate_limited: "Too many attempts. Wait 15 minutes, then try again.",
};
const INFO: Record<string, string> = {
  "session-ended": "Your session has ended. Sign in again to go on.",
};

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  // Rendered per request: whether anyone can sign in yet is the database's answer, not the build's.
  await connection();
  if (!(await hasUsers())) redirect("/admin/setup");
  if (await currentUser()) redirect("/admin");
  const params = await searchParams;
  const first = (name: string) => {
    const value = params[name];
    return typeof value === "string" ? value : undefined;
  };
  const callbackUrl = first("callbackUrl") ?? "/admin";
  const error = first("code") ?? first("error");
  const notice = error ? (NOTICES[error] ?? "Sign-in failed. Please try again.") : null;
  const info = INFO[first("notice") ?? ""];
  return (
    <main className="narrow">
      <h1>Sign in</h1>
      {info ? (
        <p className="notice" role="status">
          {info}
        </p>
      ) : null}
      <SignInForm callbackUrl={callbackUrl} notice={notice} />
      {oauthProviders().map((provider) => (
        <form key={provider.id} action={signInWithProvider} style={{ marginTop: "0.75rem" }}>
          <input type="hidden" name="provider" value={provider.id} />
          <input type="hidden" name="callbackUrl" value={callbackUrl} />
          <button type="submit">Sign in with {provider.name}</button>
        </form>
      ))}
    </main>
  );
}
