/** Next.js calls this once per server start; the work itself lives in lib/startup.ts. */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs" && process.env.NEXT_PHASE !== "phase-production-build") {
    const { startServer } = await import("@/lib/startup");
    await startServer();
  }
}
