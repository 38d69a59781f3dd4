/** What npm run bench and npm run soak share: the app's own scripts, a clean database, next start. */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import pg from "pg";
import { waitFor } from "../support/wait-for";

/** Runs one of the project's TypeScript scripts with these settings; its standard output, trimmed. */
export function tsx(args: string[], env: NodeJS.ProcessEnv): string {
  return execFileSync(process.execPath, ["--import", "tsx", ...args], { env, encoding: "utf8" }).trim();
}

/** Drops and creates the database of this URL; false when PostgreSQL is not reachable. */
export async function resetPostgres(url: string): Promise<boolean> {
  const target = new URL(url);
  const name = target.pathname.slice(1);
  const admin = new pg.Client({
    connectionString: Object.assign(new URL(url), { pathname: "/postgres" }).href,
  });
  try {
    await admin.connect();
  } catch {
    return false;
  }
  try {
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  return true;
}

/** next start on loopback, once it answers. */
export async function startServer(env: NodeJS.ProcessEnv, port: number): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ["node_modules/next/dist/bin/next", "start", "-H", "127.0.0.1", "-p", String(port)],
    {
      env,
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  try {
    await waitFor(
      "the app to start",
      async () => {
        try {
          return (await fetch(`http://127.0.0.1:${port}/open-api/openapi.json`)).ok;
        } catch {
          return false; // not listening yet
        }
      },
      50_000,
      250,
    );
  } catch (error) {
    child.kill();
    throw error;
  }
  return child;
}

export function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}
