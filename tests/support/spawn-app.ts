import { type ChildProcess, spawn } from "node:child_process";

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
      env,
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
