import { z } from "zod";
import { SCOPES } from "./scopes";

/** A key as the admin creates it. */
export const apiKeyInputSchema = z.object({
  name: z
    .string({ error: "Must be a string" })
    .trim()
    .min(1, { error: "Required" })
    .max(100, { error: "Must be at most 100 characters" }),
  scopes: z
    .array(z.enum(SCOPES, { error: `Must be one of: ${SCOPES.join(", ")}` }), {
      error: "Must be an array of scopes",
    })
    .min(1, { error: "Choose at least one scope" })
    .transform((s) => [...new Set(s)]),
  daily_limit: z
    .number({ error: "Must be a number" })
    .int({ error: "Must be a whole number" })
    .min(1, { error: "Must be at least 1" })
    .max(10_000_000, { error: "Must be at most 10000000" })
    .optional(),
});
