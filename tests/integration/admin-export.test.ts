import { describe, expect, it } from "vitest";
import * as exportRoute from "@/app/api/admin/leads/export/route";
import { getDb } from "@/lib/db/client";
import { leads } from "@/lib/db/schema";
import { csvCell } from "@/lib/leads/export";
import { newTenant } from "../support/fixtures";
import { call, newUser, sessionCookie } from "../support/staff";

/** A small RFC 4180 reader, enough to check what the export wrote. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else cell += c;
  }
  return rows;
}

const TRICKY = [
  '=HYPERLINK("http://evil")',
  "+1 555",
  "-2+3",
  "@SUM(A1)",
  'Say "hi", then\nleave',
  "\tTabbed",
];

describe("CSV export", () => {
  it("neutralises formula cells and quotes what needs quoting", () => {
    expect(csvCell("=1+1")).toBe("'=1+1");
    expect(csvCell("+16125550100")).toBe("'+16125550100");
    expect(csvCell("-5")).toBe("'-5");
    expect(csvCell("@cmd")).toBe("'@cmd");
    expect(csvCell('a "b", c')).toBe('"a ""b"", c"');
    expect(csvCell(-5)).toBe("-5");
    expect(csvCell(null)).toBe("");
    expect(csvCell("plain")).toBe("plain");
  });

  it("exports every lead of a filter spanning several pages, with tags, escaped", async () => {
    const { company } = await newTenant();
    const cookie = await sessionCookie(await newUser(company.id, "admin"));
    const db = await getDb();
    const base = Date.UTC(2026, 0, 1);
    const rows = Array.from({ length: 2_600 }, (_, i) => ({
      companyId: company.id,
      name: i < TRICKY.length ? TRICKY[i]! : `Person ${i}`,
      email: `p${i}@example.com`,
      emailLc: `p${i}@example.com`,
      notes: i === 7 ? "line one\r\nline two, with a comma" : null,
      tags: i % 26 === 25 ? ["other"] : ["Export", `n${i}`],
      tagsLc: i % 26 === 25 ? ["other"] : ["export", `n${i}`],
      // Several leads share each instant, so the export's order must break ties by id.
      createdAt: new Date(base + Math.floor(i / 3) * 1000),
      updatedAt: new Date(base),
    }));
    for (let i = 0; i < rows.length; i += 500) await db.insert(leads).values(rows.slice(i, i + 500));
    const expected = rows.filter((r) => r.tagsLc.includes("export"));

    const res = await call(exportRoute, "/api/admin/leads/export?tags=export&limit=10&page=3", { cookie });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(
      /^attachment; filename="leads-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const bytes = Buffer.from(await res.arrayBuffer());
    // A byte-order mark first, so that spreadsheet programs read UTF-8.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...body] = parseCsv(bytes.subarray(3).toString("utf8"));
    expect(header).toContain("tags");
    const col = (name: string) => header!.indexOf(name);
    expect(body).toHaveLength(expected.length);
    expect(new Set(body.map((r) => r[col("email")])).size).toBe(expected.length);
    expect(new Set(body.map((r) => r[col("email")]))).toEqual(new Set(expected.map((r) => r.email)));

    const byEmail = new Map(body.map((r) => [r[col("email")], r]));
    for (let i = 0; i < TRICKY.length; i++) {
      const name = byEmail.get(`p${i}@example.com`)![col("name")]!;
      expect(name).toBe(/^[=+\-@\t]/.test(TRICKY[i]!) ? `'${TRICKY[i]}` : TRICKY[i]);
    }
    expect(byEmail.get("p7@example.com")![col("notes")]).toBe("line one\r\nline two, with a comma");
    expect(byEmail.get("p30@example.com")![col("tags")]).toBe("Export, n30");
    // Newest first.
    const created = body.map((r) => r[col("created_at")]!);
    expect([...created].sort().reverse()).toEqual(created);
  });
});
