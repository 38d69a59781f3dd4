import { fail, type FieldError } from "@/lib/errors";
import type { AdminLead, BulkChange, LeadCreate, LeadEdit } from "./admin";
import { checkStage } from "./pipeline";

/**
 * What staff write must leave a lead someone can answer: a name, and a phone or an email (the rule
 * of the public form; the API keeps Rotor's looser one), in a stage of the pipeline.
 */
const blank = (value: string | null | undefined) => !value || value.trim() === "";

function contactErrors(lead: Pick<AdminLead, "name" | "phone" | "email">): FieldError[] {
  const errors: FieldError[] = [];
  if (blank(lead.name)) errors.push({ field: "name", message: "A lead needs a name" });
  if (blank(lead.phone) && blank(lead.email)) {
    errors.push({ field: "phone", message: "Give a phone number or an email" });
  }
  return errors;
}

export async function checkNewLead(companyId: string, input: LeadCreate): Promise<void> {
  const errors = contactErrors({
    name: input.name ?? null,
    phone: input.phone ?? null,
    email: input.email ?? null,
  });
  if (errors.length > 0) throw fail.validation(errors);
  await checkStage(companyId, input.stage);
}

/** An edit, as it would leave the lead: `current` is read only when the edit empties a contact field. */
export async function checkLeadEdit(
  companyId: string,
  input: LeadEdit,
  current: () => Promise<AdminLead>,
): Promise<void> {
  const touched = (["name", "phone", "email"] as const).filter((k) => k in input && blank(input[k]));
  if (touched.length > 0) {
    const before = await current();
    const after = { ...before, ...input } as AdminLead;
    // Only what this edit empties: a lead the API made without a name may still be edited.
    const emptied = (field: string) =>
      field === "phone" ? touched.includes("phone") || touched.includes("email") : touched.includes("name");
    const errors = contactErrors(after).filter((e) => emptied(e.field));
    if (errors.length > 0) throw fail.validation(errors);
  }
  if ("stage" in input) await checkStage(companyId, input.stage);
}

export async function checkBulk(companyId: string, input: BulkChange): Promise<void> {
  if (input.action === "set_stage") await checkStage(companyId, input.value, "value");
}
