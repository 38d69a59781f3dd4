import { closeDb } from "@/lib/db/client";

/** A mistake in the command line: shown with the usage, exit code 2. */
export class UsageError extends Error {}

/** A command (scripts/commands/): what it does with its arguments, and the usage shown with a mistake. */
export interface Command {
  usage: string;
  run(args: string[]): Promise<void>;
}

/** Runs a command; its exit code: 2 for a usage error (shown with the usage), 1 for others (by message). */
export async function execute(command: Command, args: string[]): Promise<number> {
  try {
    await command.run(args);
    return 0;
  } catch (error) {
    const usageError = error instanceof UsageError;
    console.error(
      usageError ? `${error.message}\n\n${command.usage}` : error instanceof Error ? error.message : error,
    );
    return usageError ? 2 : 1;
  }
}

/** Runs a command on this process's arguments, then closes the database. */
export function runCommand(command: Command): void {
  void execute(command, process.argv.slice(2))
    .then((code) => {
      process.exitCode = code;
    })
    .finally(() => closeDb());
}
