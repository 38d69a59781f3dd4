import { type ChildProcess, spawn } from "node:child_process";

export interface AppProcess {
  child: ChildProcess;
  base: string;
  stop(): Promise<void>;
}

/** Starts tests/support/app-server.ts in a process of its own, with these settings. */
export function spawnApp(env: NodeJS.ProcessEnv): Promise<AppProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "tests/support/app-server.ts"], {
      env,
      stdio: ["ignore", "pipe", "inherit"],
    });
    let output = "";
    const stop = () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once("exit", () => done());
        child.kill();
      });
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening (\d+)/.exec(output);
      if (match) resolve({ child, base: `http://127.0.0.1:${match[1]}`, stop });
    });
    child.on("exit", (code) => reject(new Error(`app process exited with ${code}`)));
  });
}
