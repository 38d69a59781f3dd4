import { type ChildProcess, execFile, spawn } from "node:child_process";
import { promisify } from "node:util";

export interface AppProcess {
  child: ChildProcess;
  base: string;
  /** What the process has written to standard error so far (also passed on to this one's). */
  errors(): string;
  stop(): Promise<void>;
}

/** Starts tests/support/app-server.ts in a process of its own, with these settings. */
export function spawnApp(env: NodeJS.ProcessEnv): Promise<AppProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "tests/support/app-server.ts"], {
      // Processes of one deployment share their signing secret, as production requires.
      env: { AUTH_SECRET: "the test processes' signing secret, 32 characters", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    let errorOutput = "";
    child.stderr!.on("data", (chunk: Buffer) => {
      errorOutput += chunk.toString();
      process.stderr.write(chunk);
    });
    const stop = () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once("exit", () => done());
        child.kill();
      });
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening (\d+)/.exec(output);
      if (match) resolve({ child, base: `http://127.0.0.1:${match[1]}`, errors: () => errorOutput, stop });
    });
    child.on("exit", (code) => reject(new Error(`app process exited with ${code}`)));
  });
}

/**
 * A key made the way an operator makes one (`npm run apikey -- create`), in the database of an app
 * process to be started with these settings (PGlite allows one process at a time, so before it starts).
 */
export async function apiKeyFor(
  env: NodeJS.ProcessEnv,
  company: string,
  name: string,
  scopes = "leads:read,leads:write",
): Promise<string> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      "--import",
      "tsx",
      "scripts/apikey.ts",
      "create",
      "--name",
      name,
      "--scopes",
      scopes,
      "--daily-limit",
      "1000000",
      "--company",
      company,
    ],
    { env },
  );
  return stdout.trim().split("\n").at(-1)!;
}
