import { isUpstream } from "@/lib/rotor/upstream";
import { localStore } from "./local";
import { rotorStore } from "./rotor";
import type { LeadStore } from "./types";

export type { LeadCapabilities, LeadStore } from "./types";

/** Where a company's leads live: Rotor in upstream mode (for ROTOR_COMPANY), else this portal's database. */
export async function leadStore(companyId: string): Promise<LeadStore> {
  return (await isUpstream(companyId)) ? rotorStore : localStore;
}
