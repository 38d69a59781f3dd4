import { afterAll, beforeAll } from "vitest";
import { reloadEnv } from "@/lib/env";

/** Settings by name; undefined unsets one. */
export type Settings = Record<string, string | undefined>;

function assign(values: Settings): void {
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  reloadEnv();
}

/**
 * Changes settings and makes lib/env read them again, whatever read them before; returns what puts
 * the previous values back. Every test that changes a setting goes through here, so none depends on
 * when the settings were first read.
 */
export function changeSettings(changes: Settings): () => void {
  const before = Object.fromEntries(Object.keys(changes).map((name) => [name, process.env[name]]));
  assign(changes);
  return () => assign(before);
}

/** These settings for the tests of the enclosing file or describe block, put back after them. */
export function withSettings(changes: Settings): void {
  let restore: (() => void) | undefined;
  beforeAll(() => {
    restore = changeSettings(changes);
  });
  afterAll(() => restore?.());
}
