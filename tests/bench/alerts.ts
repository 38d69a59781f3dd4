/**
 * npm run bench:alerts: speed to lead on a long-running server. Builds the app (unless
 * --no-build), starts `next start` on loopback with an admin and email through an SMTP server of
 * its own (smtp-server, on loopback), sends submissions to the intake at a steady rate, and
 * measures for each one the time from the intake's answer to its alert email being handed to the
 * SMTP server: p50, p95 and the slowest, and how many alerts never came. The goal: p95 under 2 s at
 * 50 submissions a second.
 * Options: --no-build, --rate N a second (default 50), --seconds N (default 20), --only
 * pglite|postgres.
 * Settings: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/lead_portal_alerts,
 * created when missing and emptied each run), BENCH_REDIS_URL (default redis://127.0.0.1:6379).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { SMTPServer } from "smtp-server";
import { resetPostgres, startServer, stop, tsx } from "./server";

const { values: opts } = parseArgs({
  options: {
    "no-build": { type: "boolean", default: false },
    rate: { type: "string", default: "50" },
    seconds: { type: "string", default: "20" },
    only: { type: "string" },
  },
});
const RATE = Number(opts.rate);
const SECONDS = Number(opts.seconds);
const PORT = 3127;
const ADMIN = "bench-owner@example.com";

/** An SMTP server that notes when each alert arrived, by the lead's name in its subject. */
async function startMailbox(): Promise<{
  port: number;
  arrived: Map<string, number>;
  close(): Promise<void>;
}> {
  const arrived = new Map<string, number>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, _session, callback) {
      let head = "";
      stream.on("data", (chunk: Buffer) => {
        if (head.length < 4096) head += chunk.toString("latin1");
      });
      stream.on("end", () => {
        const at = performance.now();
        // A subject with a non-ASCII character arrives as an RFC 2047 encoded word.
        const subject = (/^Subject: (.*)$/m.exec(head)?.[1] ?? "").replace(
          /=\?UTF-8\?B\?([^?]*)\?=/gi,
          (_word, text: string) => Buffer.from(text, "base64").toString("utf8"),
        );
        const number = /Bench (\d+)/.exec(subject)?.[1];
        const name = number === undefined ? undefined : `Bench ${number}`;
        if (name && !arrived.has(name)) arrived.set(name, at);
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as { port: number }).port;
  return { port, arrived, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function measure(label: string, stores: Record<string, string>): Promise<void> {
  const mailbox = await startMailbox();
  const dataDir = mkdtempSync(path.join(tmpdir(), "lead-portal-alerts-"));
  const env = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    AUTH_SECRET: "the alert benchmark's signing secret, 32 characters",
    ALLOW_EMBEDDED_STORES: "true",
    DATA_DIR: dataDir,
    SMTP_URL: `smtp://127.0.0.1:${mailbox.port}`,
    MAIL_FROM: "Alerts <alerts@example.com>",
    PUBLIC_URL: `http://127.0.0.1:${PORT}`,
    INTAKE_PER_IP_PER_HOUR: "1000000",
    INTAKE_PER_FORM_PER_HOUR: "1000000",
    ...stores,
  } as NodeJS.ProcessEnv;
  tsx(["scripts/db-migrate.ts"], env);
  tsx(
    [
      "scripts/user.ts",
      "create",
      "--email",
      ADMIN,
      "--password",
      "bench owner passphrase",
      "--role",
      "admin",
    ],
    env,
  );
  const server = await startServer(env, PORT);
  const answered = new Map<string, number>();
  let refused = 0;
  try {
    // A steady arrival rate: each submission leaves on its own schedule, whatever the others do.
    const total = RATE * SECONDS;
    const started = performance.now();
    const sends: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      const due = started + (i * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const name = `Bench ${i}`;
      sends.push(
        fetch(`http://127.0.0.1:${PORT}/api/intake/contact`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            name,
            phone: `+1612${String(5_000_000 + i).padStart(7, "0")}`,
            service_type: "Window cleaning",
            notes: "How soon can you come?",
          }),
        }).then(async (response) => {
          await response.body?.cancel();
          if (response.status === 201) answered.set(name, performance.now());
          else refused++;
        }),
      );
    }
    await Promise.all(sends);
    const sendSeconds = (performance.now() - started) / 1000;
    // Every alert, or 30 s after the last answer.
    const deadline = performance.now() + 30_000;
    while (mailbox.arrived.size < answered.size && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const latencies = [...answered]
      .map(([name, at]) => (mailbox.arrived.get(name) ?? Number.NaN) - at)
      .filter((ms) => !Number.isNaN(ms))
      .sort((a, b) => a - b);
    const missing = answered.size - latencies.length;
    if (latencies.length === 0)
      throw new Error(`${label}: no alert arrived (${answered.size} answered, ${refused} refused)`);
    console.log(
      [
        `${label}: ${answered.size} submissions answered in ${sendSeconds.toFixed(1)} s (${(answered.size / sendSeconds).toFixed(1)}/s), ${refused} refused`,
        `  answer -> alert handed to SMTP: p50 ${percentile(latencies, 50).toFixed(0)} ms, p95 ${percentile(latencies, 95).toFixed(0)} ms, max ${latencies.at(-1)!.toFixed(0)} ms; ${missing} alerts missing`,
        `  goal p95 < 2000 ms: ${percentile(latencies, 95) < 2000 && missing === 0 ? "met" : "NOT met"}`,
      ].join("\n"),
    );
  } finally {
    await stop(server);
    await mailbox.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (!opts["no-build"]) {
  execFileSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], {
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
}
if (opts.only !== "postgres") await measure("Embedded (PGlite + memory KV)", {});
if (opts.only !== "pglite") {
  const url = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/lead_portal_alerts";
  if (await resetPostgres(url)) {
    await measure("PostgreSQL + Redis", {
      DATABASE_URL: url,
      REDIS_URL: process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379",
    });
  } else {
    console.log("PostgreSQL + Redis: skipped, PostgreSQL is not reachable");
  }
}
