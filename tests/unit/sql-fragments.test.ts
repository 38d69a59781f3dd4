import { describe, expect, it } from "vitest";
import { expandFragments, LEAD_FIELDS } from "@/lib/db/functions/fragments";

describe("SQL fragments", () => {
  it("writes out the column list by name and as a row's values, in one order", () => {
    const names = expandFragments("{{lead_fields}}").split(/,\s+/);
    const values = expandFragments("{{lead_fields v_new}}").split(/,\s+/);
    expect(names).toEqual([...LEAD_FIELDS]);
    expect(values).toEqual(LEAD_FIELDS.map((column) => `v_new.${column}`));
  });

  it("continues a fragment of several lines at the indentation of the line it is on", () => {
    const text = expandFragments("  SELECT x\n  FROM {{merged_tags unnest(p_tags)}} AS merged;");
    const lines = text.split("\n");
    expect(lines[1]).toBe(
      "  FROM (SELECT coalesce(array_agg(kept.tag ORDER BY kept.n), '{}') AS tags FROM (",
    );
    expect(lines.slice(2).every((line) => line.startsWith("    ") || line.startsWith("  )"))).toBe(true);
    expect(text).toContain("FROM unnest(p_tags) WITH ORDINALITY AS u(tag, n)");
    expect(text.endsWith(") AS kept) AS merged;")).toBe(true);
  });

  it("refuses an unknown fragment, a missing argument and a brace pair that belongs to none", () => {
    expect(() => expandFragments("{{tag_merge x}}")).toThrow("Unknown SQL fragment {{tag_merge}}");
    expect(() => expandFragments("{{merged_tags}}")).toThrow("merged_tags needs an argument");
    expect(() => expandFragments("{{lowercase_tags }}")).toThrow("lowercase_tags needs an argument");
    expect(() => expandFragments("select '{{1}}'")).toThrow();
    expect(() => expandFragments("select 1 }}")).toThrow('A "}}" that opens or closes no SQL fragment');
  });
});
