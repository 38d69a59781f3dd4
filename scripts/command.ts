import { closeDb } from "@/lib/db/client";

/** A mistake in the command line: shown with the usage, exit code 2. */
export class UsageError extends Error {}

/** Runs a command: usage errors with the usage (exit 2), others by message (exit 1); the database closed. */
export function runCommand(main: () => Promise<void>, usage: string): void {
  main()
    .catch((error: unknown) => {
      const usageError = error instanceof UsageError;
      console.error(
        usageError ? `${error.message}\n\n${usage}` : error instanceof Error ? error.message : error,
      );
      process.exitCode = usageError ? 2 : 1;
    })
    .finally(() => closeDb());
}
