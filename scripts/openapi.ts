import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { CLIENT_TYPES_FILE, clientTypes, servedDocument } from "./openapi-document";

const USAGE = `Usage:
  npm run lint:openapi     lint the served OpenAPI document with Redocly's recommended rules
  npm run openapi:types    rewrite ${CLIENT_TYPES_FILE} from the served document`;

/** Lints the document as served, not a copy kept beside the code, which could differ from it. */
async function lint(): Promise<number> {
  const folder = mkdtempSync(path.join(tmpdir(), "openapi-lint-"));
  try {
    const file = path.join(folder, "openapi.json");
    writeFileSync(file, await servedDocument());
    const cli = createRequire(import.meta.url).resolve("@redocly/cli/bin/cli.js");
    const { status } = spawnSync(process.execPath, [cli, "lint", "--config", "redocly.yaml", file], {
      stdio: "inherit",
      // Linting needs no network: no usage data sent, no check for a newer release.
      env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
    });
    return status ?? 1;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const command = process.argv[2];
  if (command === "lint") return lint();
  if (command === "types") {
    writeFileSync(CLIENT_TYPES_FILE, await clientTypes(await servedDocument()));
    console.log(`Wrote ${CLIENT_TYPES_FILE}`);
    return 0;
  }
  console.error(USAGE);
  return 2;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
