import type { SelectHTMLAttributes } from "react";
import type { Stage } from "@/lib/leads/pipeline";

/**
 * The one stage input of the admin: the pipeline's stages in order, won and lost ones marked. A
 * value the pipeline does not hold (a lead from Rotor, a filter in a shared link) is still shown.
 */
export function StageSelect({
  stages,
  empty,
  value = "",
  ...props
}: {
  stages: Pick<Stage, "name" | "kind">[];
  /** The first option's label, for "no stage" ("Any" in a filter, "Choose…" in a bulk action). */
  empty?: string;
  value?: string;
} & Omit<SelectHTMLAttributes<HTMLSelectElement>, "value">) {
  const known = stages.some((s) => s.name.toLowerCase() === value.toLowerCase());
  const current = stages.find((s) => s.name.toLowerCase() === value.toLowerCase())?.name ?? value;
  return (
    <select {...props} value={current}>
      {empty !== undefined ? <option value="">{empty}</option> : null}
      {stages.map((s) => (
        <option key={s.name} value={s.name}>
          {s.kind === "open" || s.name.toLowerCase() === s.kind ? s.name : `${s.name} (${s.kind})`}
        </option>
      ))}
      {!known && value ? <option value={value}>{value}</option> : null}
    </select>
  );
}
