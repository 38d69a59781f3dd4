import { randomUUID } from "node:crypto";
import { queueSubmission } from "@/lib/outbox/queue";
import { deliverNow } from "@/lib/outbox/worker";
import { rotorBody } from "./rotor-body";
import type { Submission } from "./types";

/**
 * Upstream mode's intake: the submission is stored in the outbox first, so that nothing is lost
 * whatever Rotor does, then sent at once when no earlier submission of the same person is still
 * waiting. The visitor is told it worked either way; what Rotor did not take yet, the worker
 * delivers later (lib/outbox/rotor.ts), and the lead's id is not known until then.
 */
export async function submitToRotor(
  companyId: string,
  { input, tags, defaults, record }: Submission,
): Promise<{ queued: boolean }> {
  const body = rotorBody(input);
  body.tags = [...(input.tags ?? []), ...tags];
  const phone = typeof body.phone === "string" ? `phone:${body.phone}` : null;
  const email = typeof body.email === "string" ? `email:${body.email.toLowerCase()}` : null;
  const given = Object.fromEntries(Object.entries(defaults).filter(([, v]) => v)) as Record<string, string>;
  const id = await queueSubmission(
    companyId,
    phone ?? email ?? `anonymous:${randomUUID()}`,
    phone && email,
    { body, defaults: given },
    record,
  );
  const outcome = await deliverNow(id);
  return { queued: outcome?.result !== "delivered" };
}
