import { readFileSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";

export class DataDirInUseError extends Error {
  override name = "DataDirInUseError";
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Claims the embedded database's folder for this process. PGlite itself lets a second process open
 * the same files, and two writers would corrupt them, so a second opener (the apikey command while
 * the app runs, say) is refused with a message instead. A lock left by a process that has ended is
 * taken over. Returns the release function.
 */
export function lockDataDir(dataDir: string): () => void {
  const lockPath = path.join(dataDir, "pglite.lock");
  for (;;) {
    try {
      writeFileSync(lockPath, String(process.pid), { flag: "wx" });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number(readFileSync(lockPath, "utf8"));
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isRunning(holder)) {
        throw new DataDirInUseError(
          `The embedded database in ${dataDir} is open in process ${holder}. PGlite allows one process ` +
            "at a time: stop the app first, or set DATABASE_URL to use PostgreSQL.",
        );
      }
      unlinkSync(lockPath);
    }
  }
  const release = () => {
    process.off("exit", release);
    try {
      if (readFileSync(lockPath, "utf8") === String(process.pid)) unlinkSync(lockPath);
    } catch {
      // Already gone.
    }
  };
  process.on("exit", release);
  return release;
}
