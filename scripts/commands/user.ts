import { parseArgs } from "node:util";
import { z } from "zod";
import { type Command, UsageError } from "../command";
import { fieldErrors } from "@/lib/validation";
import { createUser, deleteUser, DuplicateEmailError, listUsers, userInputSchema } from "@/lib/auth/users";
import { DEFAULT_COMPANY_SLUG } from "@/lib/db/client";
import { ensureCompany, findCompany } from "@/lib/db/companies";
import { DomainError } from "@/lib/errors";

const USAGE = `Usage:
  npm run user -- create --email EMAIL --password PASSWORD --role admin|member [--name NAME] [--company SLUG]
  npm run user -- list [--company SLUG]
  npm run user -- remove ID [--company SLUG]

Without --company, the default company. Passwords: at least 10 characters, stored as bcrypt hashes.
With the embedded database (no DATABASE_URL), stop the app first: PGlite allows one process at a time.`;

async function company(slug: string | undefined, create: boolean) {
  const wanted = slug?.trim() || DEFAULT_COMPANY_SLUG;
  const found = create ? await ensureCompany(wanted) : await findCompany(wanted);
  if (!found) throw new UsageError(`No company ${wanted}`);
  return found;
}

async function main(args: string[]) {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      email: { type: "string" },
      password: { type: "string" },
      role: { type: "string" },
      name: { type: "string" },
      company: { type: "string" },
    },
  });
  const [command, id] = positionals;
  if (command === "create") {
    const parsed = userInputSchema.safeParse(values);
    if (!parsed.success) {
      throw new UsageError(
        fieldErrors(parsed.error as z.ZodError)
          .map((e) => `--${e.field}: ${e.message}`)
          .join("\n"),
      );
    }
    const target = await company(values.company, true);
    try {
      const user = await createUser(target.id, parsed.data);
      console.log(`Created ${user.role} ${user.email} (${user.id}) in company ${target.slug}`);
    } catch (error) {
      if (error instanceof DuplicateEmailError) throw new UsageError(error.message);
      throw error;
    }
  } else if (command === "list") {
    const target = await company(values.company, false);
    const users = await listUsers(target.id);
    if (users.length === 0) console.log("No users.");
    for (const u of users) {
      const seen = u.lastSignInAt ? `last sign-in ${u.lastSignInAt.toISOString()}` : "never signed in";
      console.log([u.id, u.email, u.role, u.name ?? "", seen].join("  "));
    }
  } else if (command === "remove") {
    if (!id) throw new UsageError("remove needs the user's ID (see list)");
    try {
      await deleteUser((await company(values.company, false)).id, id);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      throw new UsageError(error.code === "not_found" ? `No user with ID ${id}` : error.message);
    }
    console.log(`Removed ${id}`);
  } else throw new UsageError(command ? `Unknown command ${command}` : "A command is required");
}

export const userCommand: Command = { usage: USAGE, run: main };
