import { parseArgs } from "node:util";
import { type Command, UsageError } from "../command";
import { createApiKey, listApiKeys, revokeApiKey } from "@/lib/auth/api-keys";
import { isScope, SCOPES, type Scope } from "@/lib/auth/scopes";
import { DEFAULT_COMPANY_SLUG } from "@/lib/db/client";
import { ensureCompany } from "@/lib/db/companies";
import { env } from "@/lib/env";

const USAGE = `Usage:
  npm run apikey -- create --name NAME --scopes leads:read,leads:write [--daily-limit N] [--company SLUG]
  npm run apikey -- list
  npm run apikey -- revoke ID

With the embedded database (no DATABASE_URL), stop the app first: PGlite allows one process at a time.`;

async function create(values: Record<string, string | undefined>) {
  const name = values.name?.trim();
  if (!name) throw new UsageError("--name is required");
  const scopes = (values.scopes ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (scopes.length === 0 || !scopes.every(isScope)) {
    throw new UsageError(`--scopes must list one or more of ${SCOPES.join(", ")}`);
  }
  const dailyLimit =
    values["daily-limit"] === undefined ? env().API_DAILY_LIMIT : Number(values["daily-limit"]);
  if (!Number.isSafeInteger(dailyLimit) || dailyLimit < 1)
    throw new UsageError("--daily-limit must be a positive integer");
  const slug = values.company?.trim() || DEFAULT_COMPANY_SLUG;
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(slug))
    throw new UsageError("--company must be a slug: a-z, 0-9 and -");

  const company = await ensureCompany(slug);
  const created = await createApiKey({ companyId: company.id, name, scopes: scopes as Scope[], dailyLimit });
  console.log(`Created key ${created.id} (${created.prefix}…) for company ${company.slug}`);
  console.log(`Scopes: ${scopes.join(", ")}; daily limit: ${dailyLimit}`);
  console.log("Store it now: it is shown once and only its hash is kept.");
  console.log(created.key);
}

async function list() {
  const keys = await listApiKeys();
  if (keys.length === 0) {
    console.log("No API keys.");
    return;
  }
  for (const k of keys) {
    const state = k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : "active";
    console.log(
      [k.id, k.prefix + "…", k.name, k.company, k.scopes.join(","), `limit ${k.dailyLimit}/day`, state].join(
        "  ",
      ),
    );
  }
}

async function main(args: string[]) {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      name: { type: "string" },
      scopes: { type: "string" },
      "daily-limit": { type: "string" },
      company: { type: "string" },
    },
  });
  const [command, id] = positionals;
  if (command === "create") await create(values);
  else if (command === "list") await list();
  else if (command === "revoke") {
    if (!id) throw new UsageError("revoke needs the key's ID (see list)");
    if (!(await revokeApiKey(id))) throw new UsageError(`No active key with ID ${id}`);
    console.log(`Revoked ${id}`);
  } else throw new UsageError(command ? `Unknown command ${command}` : "A command is required");
}

export const apikeyCommand: Command = { usage: USAGE, run: main };
