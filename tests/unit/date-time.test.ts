import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { DateTime, formatDateTime, formatDay } from "@/components/ui/date-time";

describe("the admin's date format", () => {
  it("writes a moment in UTC, the same from a Date or its ISO text", () => {
    expect(formatDateTime("2026-03-04T15:05:00.000Z")).toBe("Mar 4, 2026, 3:05 PM UTC");
    expect(formatDateTime(new Date("2026-03-04T15:05:00.000Z"))).toBe("Mar 4, 2026, 3:05 PM UTC");
    // Another zone's evening is the next day in UTC.
    expect(formatDateTime("2026-03-04T23:30:00-05:00")).toBe("Mar 5, 2026, 4:30 AM UTC");
    expect(formatDateTime("2026-12-31T00:00:00Z")).toBe("Dec 31, 2026, 12:00 AM UTC");
    expect(formatDateTime("2026-07-01T12:09:00Z")).toBe("Jul 1, 2026, 12:09 PM UTC");
  });

  it("uses plain spaces only, whatever the runtime's ICU data joins with", () => {
    expect(formatDateTime("2026-03-04T15:05:00Z")).toMatch(/^[\x20-\x7e]+$/);
  });

  it("writes a calendar day without a time", () => {
    expect(formatDay("2026-03-02")).toBe("Mar 2, 2026");
    expect(formatDay("2026-12-31")).toBe("Dec 31, 2026");
  });

  it("shows text that is not a date as it is", () => {
    expect(formatDateTime("soon")).toBe("soon");
    expect(formatDay("someday")).toBe("someday");
  });

  it("renders a <time> with the moment's ISO text, or the fallback when there is none", () => {
    expect(renderToStaticMarkup(createElement(DateTime, { value: "2026-03-04T15:05:00+01:00" }))).toBe(
      '<time dateTime="2026-03-04T14:05:00.000Z">Mar 4, 2026, 2:05 PM UTC</time>',
    );
    expect(renderToStaticMarkup(createElement(DateTime, { value: null }))).toBe("—");
    expect(renderToStaticMarkup(createElement(DateTime, { value: null, fallback: "never" }))).toBe("never");
    expect(renderToStaticMarkup(createElement(DateTime, { value: "soon" }))).toBe("soon");
  });
});
