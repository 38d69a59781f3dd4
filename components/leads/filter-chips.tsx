"use client";

/** The admin's own filters, as each reads in a sentence. */
const LABELS: Record<string, Record<string, string>> = {
  assigned: { me: "Assigned to me" },
  contacted: { no: "Not contacted yet", yes: "Contacted" },
  due: { "1": "Follow-up due (today or past)" },
  won: { month: "Won this month" },
};

/**
 * The filters in effect beyond the toolbar's own controls, each removable: a list is never
 * narrowed without saying why.
 */
export function FilterChips({
  params,
  onRemove,
}: {
  params: URLSearchParams;
  onRemove: (key: string) => void;
}) {
  const chips = Object.keys(LABELS).flatMap((key) => {
    const value = params.get(key);
    return value ? [{ key, label: LABELS[key]![value] ?? `${key}: ${value}` }] : [];
  });
  if (chips.length === 0) return null;
  return (
    <div className="chips" role="group" aria-label="Filters in effect">
      <span className="muted">Filtered by</span>
      {chips.map(({ key, label }) => (
        <button
          key={key}
          type="button"
          className="chip"
          aria-label={`Remove filter: ${label}`}
          onClick={() => onRemove(key)}
        >
          {label}
          <span className="chip-x" aria-hidden="true">
            ×
          </span>
        </button>
      ))}
    </div>
  );
}
