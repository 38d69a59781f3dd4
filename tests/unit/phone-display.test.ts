import { describe, expect, it } from "vitest";
import { formatAgo, formatMinutes } from "@/components/ui/date-time";
import { displayPhone } from "@/components/ui/phone";
import { formatPhone, smsHref, telHref, toE164 } from "@/lib/leads/phone";

describe("phones as people read them, and as one-tap links", () => {
  it("the browser's light formatter writes North American numbers as the server's library does", () => {
    for (const typed of ["(612) 555-0142", "763.555.0238 ext. 12", "+1 212 555 0199 x7", "800-555-0100"]) {
      const e164 = toE164(typed, "US")!;
      expect(displayPhone(e164)).toBe(formatPhone(e164, "US"));
    }
    expect(displayPhone("+17635550238;ext=12")).toBe("(763) 555-0238 ext. 12");
    // Elsewhere the stored form, which the server writes internationally when it is not the region's.
    expect(displayPhone("+442079460958")).toBe("+442079460958");
    expect(formatPhone("+442079460958", "US")).toBe("+44 20 7946 0958");
    expect(formatPhone("+442079460958", "GB")).toBe("020 7946 0958");
  });

  it("a call link dials the extension after a pause; a text goes to the number alone", () => {
    expect(telHref("+17635550238;ext=12")).toBe("tel:+17635550238,12");
    expect(telHref("+16125550142")).toBe("tel:+16125550142");
    expect(smsHref("+17635550238;ext=12")).toBe("sms:+17635550238");
  });
});

describe("times as people say them", () => {
  const now = new Date("2026-12-06T12:00:00Z");
  it("how long ago", () => {
    const ago = (ms: number) => formatAgo(new Date(now.getTime() - ms), now);
    expect(ago(20_000)).toBe("just now");
    expect(ago(5 * 60_000)).toBe("5 min ago");
    expect(ago(3 * 3_600_000 + 59 * 60_000)).toBe("3 h ago");
    expect(ago(30 * 3_600_000)).toBe("yesterday");
    expect(ago(4 * 86_400_000)).toBe("4 days ago");
    expect(ago(45 * 86_400_000)).toBe("Oct 22, 2026");
  });
  it("how long it took", () => {
    expect(formatMinutes(0.4)).toBe("under a minute");
    expect(formatMinutes(4)).toBe("4 min");
    expect(formatMinutes(80)).toBe("1 h 20 min");
    expect(formatMinutes(120)).toBe("2 h");
    expect(formatMinutes(3 * 24 * 60)).toBe("3 days");
  });
});
