import { upstreamMode } from "@/lib/rotor/upstream";
import { localStore } from "./local";
import { rotorStore } from "./rotor";
import type { LeadStore } from "./types";

export type { LeadStore } from "./types";

/** The store the settings select: Rotor when ROTOR_API_KEY is set, else this portal's database. */
export function leadStore(): LeadStore {
  return upstreamMode() ? rotorStore : localStore;
}
