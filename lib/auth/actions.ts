"use server";

import { AuthError } from "next-auth";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { notePortalUrl } from "@/lib/company/profile";
import { originOf } from "@/lib/http/origin";
import { fieldErrors } from "@/lib/validation";
import { findCompany } from "@/lib/db/companies";
import { signIn, signOut } from "./auth";
import { safeCallbackUrl } from "./callback-url";
import { currentUser } from "./admin-page";
import { createFirstAdmin, userInputSchema } from "./users";

/**
 * The admin's server actions. Sign-in and first-admin setup are for people without a session by
 * nature; sign-out needs none. Everything that reads or changes data goes through /api/admin,
 * behind withSession.
 */

export interface SignInState {
  email: string;
  error: string | null;
}

export async function authenticate(_previous: SignInState, formData: FormData): Promise<SignInState> {
  const email = String(formData.get("email") ?? "");
  try {
    await signIn("credentials", {
      email,
      password: String(formData.get("password") ?? ""),
      redirectTo: safeCallbackUrl(formData.get("callbackUrl")),
    });
  } catch (error) {
    if (error instanceof AuthError) {
      const code = (error as AuthError & { code?: string }).code;
      return {
        email,
        error:
          code === "rate_limited"
            ? "Too many attempts. Wait 15 minutes, then try again."
            : "That email and password do not match an account.",
      };
    }
    // next/navigation's redirect after a successful sign-in is thrown too, and must go through.
    throw error;
  }
  return { email, error: null };
}

export async function signInWithProvider(formData: FormData): Promise<void> {
  const provider = String(formData.get("provider") ?? "");
  if (provider !== "github" && provider !== "google") redirect("/admin/sign-in");
  await signIn(provider, { redirectTo: safeCallbackUrl(formData.get("callbackUrl")) });
}

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/admin/sign-in" });
}

export interface SetupState {
  values: { name: string; email: string };
  errors: Record<string, string>;
}

/** Creates the first admin, while no user exists, and signs them in. */
export async function setUpFirstAdmin(_previous: SetupState, formData: FormData): Promise<SetupState> {
  if (await currentUser()) redirect("/admin");
  const values = { name: String(formData.get("name") ?? ""), email: String(formData.get("email") ?? "") };
  const password = String(formData.get("password") ?? "");
  const parsed = userInputSchema.safeParse({ ...values, password, role: "admin" });
  const errors: Record<string, string> = {};
  if (!parsed.success) for (const e of fieldErrors(parsed.error)) errors[e.field] = e.message;
  if (password !== String(formData.get("confirm") ?? "")) errors.confirm = "The two passwords differ";
  if (!parsed.success || Object.keys(errors).length > 0) return { values, errors };
  const company = await findCompany();
  if (!company) throw new Error("The default company is missing");
  if (!(await createFirstAdmin(company.id, parsed.data))) redirect("/admin/sign-in");
  // Where alerts link until PUBLIC_URL says otherwise: the address the first admin used.
  await notePortalUrl(company.id, originOf(await headers()));
  await signIn("credentials", { email: parsed.data.email, password, redirectTo: "/admin" });
  return { values, errors: {} };
}
