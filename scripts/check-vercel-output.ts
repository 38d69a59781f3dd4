/**
 * npm run check:vercel: builds the Vercel output offline (`vercel build`, as Vercel's own build
 * does) and fails, naming the function, when a function carries PGlite or is larger than a minimal
 * Next.js app's function plus 5 MB. Every function pays for its files at each cold start, and the
 * embedded database has no use on Vercel (lib/env.ts refuses it there).
 * The app's own build (.next) is kept aside meanwhile and put back after, so that what was built
 * with `npm run build` is still what the tests and `next start` use.
 * Option: --dir DIR measures the app in DIR instead of this project (how the minimal app's figure
 * below was measured).
 */
import { execFileSync } from "node:child_process";
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";

/**
 * The one function of a minimal Next.js 16 app, in bytes: a package.json with next 16.4.6, react
 * and react-dom 19.3.1 installed from the registry and one route handler (app/ping/route.js,
 * `export function GET() { return Response.json({ ok: true }); }`), built and measured by this
 * script with --dir (Vercel CLI 58.10.0; 64.0.2 measured the same).
 */
const MINIMAL_FUNCTION_BYTES = 2_382_822;
const MARGIN_BYTES = 5 * 1024 * 1024;
const LIMIT_BYTES = MINIMAL_FUNCTION_BYTES + MARGIN_BYTES;
const PGLITE = /(^|\/)node_modules\/@electric-sql\/pglite/;

/** Links the folder to a local project, which lets `vercel build` run without an account or network. */
const LOCAL_PROJECT = {
  projectId: "prj_local",
  orgId: "team_local",
  // No install step: the dependencies are installed already, and a check must not change them.
  settings: { framework: "nextjs", installCommand: "" },
};

const { values: opts } = parseArgs({ options: { dir: { type: "string" } } });
const root = path.resolve(opts.dir ?? ".");
const vercelCli = path.join(process.cwd(), "node_modules/vercel/dist/index.js");

interface FunctionFiles {
  name: string;
  bytes: number;
  files: number;
  pglite: string[];
}

/**
 * Runs `vercel build` (which builds the app again, for Vercel, into .next) and measures its output
 * while that build is still there: the functions' files are mapped from it.
 */
function buildAndMeasure(): FunctionFiles[] {
  const linked = path.join(root, ".vercel/project.json");
  if (!existsSync(linked)) {
    mkdirSync(path.dirname(linked), { recursive: true });
    writeFileSync(linked, JSON.stringify(LOCAL_PROJECT));
  }
  const appBuild = path.join(root, ".next");
  const keptBuild = path.join(root, ".vercel/app-build");
  rmSync(keptBuild, { recursive: true, force: true });
  const keep = existsSync(appBuild);
  if (keep) renameSync(appBuild, keptBuild);
  try {
    execFileSync(process.execPath, [vercelCli, "build", "--yes"], {
      cwd: root,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", VERCEL_TELEMETRY_DISABLED: "1" },
      stdio: ["ignore", "inherit", "inherit"],
    });
    const functionsDir = path.join(root, ".vercel/output/functions");
    return functionFolders(functionsDir)
      .map((folder) => measure(folder, functionsDir))
      .sort((a, b) => b.bytes - a.bytes);
  } finally {
    if (keep) {
      rmSync(appBuild, { recursive: true, force: true });
      renameSync(keptBuild, appBuild);
    }
  }
}

/** Every function folder; a link to another one is the same function under a second route. */
function functionFolders(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isSymbolicLink() || !entry.isDirectory()) return [];
    return entry.name.endsWith(".func") ? [full] : functionFolders(full);
  });
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(path.join(dir, entry.name)) : [path.join(dir, entry.name)],
  );
}

/**
 * A function's files: those in its folder, and those its .vc-config.json maps in from the project
 * (filePathMap: path in the function to path in the project), which is how `vercel build` lists
 * what it traced instead of copying it. Links count as links, as they are deployed.
 */
function measure(folder: string, functionsDir: string): FunctionFiles {
  const config = JSON.parse(readFileSync(path.join(folder, ".vc-config.json"), "utf8")) as {
    filePathMap?: Record<string, string>;
  };
  const own = filesUnder(folder).map((file) => ({ inFunction: path.relative(folder, file), onDisk: file }));
  const mapped = Object.entries(config.filePathMap ?? {}).map(([inFunction, fromProject]) => ({
    inFunction,
    onDisk: path.resolve(root, fromProject),
  }));
  const files = [...own, ...mapped];
  return {
    name: path.relative(functionsDir, folder).replace(/\.func$/, ""),
    bytes: files.reduce((sum, file) => sum + lstatSync(file.onDisk).size, 0),
    files: files.length,
    pglite: files.map((file) => file.inFunction).filter((file) => PGLITE.test(file)),
  };
}

const mb = (bytes: number) => (bytes / (1024 * 1024)).toFixed(2);

function main() {
  const measured = buildAndMeasure();
  console.log(
    `\nVercel functions (limit ${mb(LIMIT_BYTES)} MB: a minimal app's ${mb(MINIMAL_FUNCTION_BYTES)} MB + 5 MB)`,
  );
  console.log("| function | MB | files | PGlite files |");
  console.log("| --- | ---: | ---: | ---: |");
  for (const f of measured) console.log(`| ${f.name} | ${mb(f.bytes)} | ${f.files} | ${f.pglite.length} |`);
  const failures = measured.flatMap((f) => [
    ...(f.pglite.length > 0
      ? [`${f.name} carries PGlite (${f.pglite.length} files, e.g. ${f.pglite[0]})`]
      : []),
    ...(f.bytes > LIMIT_BYTES
      ? [`${f.name} is ${mb(f.bytes)} MB, over the ${mb(LIMIT_BYTES)} MB limit`]
      : []),
  ]);
  if (failures.length > 0) {
    console.error(`\n${failures.join("\n")}`);
    process.exitCode = 1;
  } else {
    console.log(
      `\n${measured.length} functions, none with PGlite, the largest ${mb(measured[0]?.bytes ?? 0)} MB.`,
    );
  }
}

main();
