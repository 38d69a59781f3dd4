import { redirect } from "next/navigation";
import { connection } from "next/server";
import { SetupForm } from "@/components/admin/setup-form";
import { hasUsers } from "@/lib/auth/users";

/** Shown while no user exists, once: it creates the first admin. */
export default async function SetupPage() {
  await connection();
  if (await hasUsers()) redirect("/admin/sign-in");
  return (
    <main className="narrow">
      <h1>Welcome</h1>
      <p>Create the first admin account. You can add your colleagues once you are in.</p>
      <SetupForm />
    </main>
  );
}
