import { describe, expect, it } from "vitest";
import {
  DEFAULT_HOURS,
  describeHours,
  describeWhen,
  inQuietHours,
  isOpen,
  localParts,
  nextLocalTime,
  nextOpening,
  parseHours,
  validTimeZone,
  zonedTime,
  type BusinessHours,
} from "@/lib/company/hours";

const NY = "America/New_York";
const LONDON = "Europe/London";
const SYDNEY = "Australia/Sydney";
const KOLKATA = "Asia/Kolkata";

const at = (iso: string) => new Date(iso);
const iso = (date: Date | null) => date?.toISOString() ?? null;
const nineToFive = { open: "09:00", close: "17:00" };
/** Open on one weekday only (0 = Monday). */
const onlyOn = (weekday: number, open: string, close: string): BusinessHours =>
  Array.from({ length: 7 }, (_, i) => (i === weekday ? { open, close } : null));

describe("parseHours", () => {
  it("takes a valid week as it is", () => {
    const week = [nineToFive, nineToFive, null, nineToFive, { open: "08:30", close: "12:00" }, null, null];
    expect(parseHours(week)).toEqual(week);
  });

  it("falls back to the default week for anything that is not a list", () => {
    for (const value of [null, undefined, "", "[]", 42, {}, { 0: nineToFive }]) {
      expect(parseHours(value), String(value)).toEqual(DEFAULT_HOURS);
    }
  });

  it("replaces only the days it cannot read", () => {
    expect(
      parseHours([
        nineToFive,
        null,
        { open: "9:00", close: "17:00" },
        { open: "18:00", close: "08:00" },
        "closed",
        { open: "10:00" },
        { open: "10:00", close: "14:00", note: "brunch" },
      ]),
    ).toEqual([
      nineToFive,
      null,
      DEFAULT_HOURS[2],
      DEFAULT_HOURS[3],
      DEFAULT_HOURS[4],
      null,
      { open: "10:00", close: "14:00" },
    ]);
    expect(parseHours([{ open: "09:00", close: "09:00" }])[0]).toEqual(DEFAULT_HOURS[0]);
    expect(parseHours([{ open: "24:00", close: "25:00" }])[0]).toEqual(DEFAULT_HOURS[0]);
  });

  it("fills a short list and ignores the rest of a long one", () => {
    expect(parseHours([null])).toEqual([null, ...DEFAULT_HOURS.slice(1)]);
    expect(parseHours([...DEFAULT_HOURS, nineToFive, nineToFive])).toEqual(DEFAULT_HOURS);
  });

  it("hands out copies, so changing the result leaves the default alone", () => {
    const hours = parseHours(null);
    hours[0] = { open: "07:00", close: "08:00" };
    const tuesday = hours[1];
    if (tuesday) tuesday.open = "07:00";
    expect(DEFAULT_HOURS[0]).toEqual({ open: "08:00", close: "18:00" });
    expect(DEFAULT_HOURS[1]).toEqual({ open: "08:00", close: "18:00" });
  });
});

describe("validTimeZone", () => {
  it("knows IANA names and refuses the rest", () => {
    for (const tz of [NY, LONDON, SYDNEY, KOLKATA, "UTC"]) expect(validTimeZone(tz), tz).toBe(true);
    for (const tz of ["", "Mars/Olympus", "America/Nowhere", "not a zone"])
      expect(validTimeZone(tz), tz).toBe(false);
  });

  it("is what the other functions need: they throw for an unknown zone", () => {
    expect(() => localParts(at("2026-03-04T15:00:00Z"), "Mars/Olympus")).toThrow(RangeError);
  });
});

describe("localParts", () => {
  it("reads the local weekday, minutes and date", () => {
    expect(localParts(at("2026-03-04T15:05:00Z"), NY)).toEqual({
      weekday: 2,
      minutes: 605,
      date: "2026-03-04",
    });
    expect(localParts(at("2026-03-04T15:05:00Z"), "UTC")).toEqual({
      weekday: 2,
      minutes: 905,
      date: "2026-03-04",
    });
  });

  it("reads midnight as minute 0 of the new day", () => {
    expect(localParts(at("2026-03-05T05:00:00Z"), NY)).toEqual({
      weekday: 3,
      minutes: 0,
      date: "2026-03-05",
    });
    expect(localParts(at("2026-03-05T04:59:59Z"), NY)).toEqual({
      weekday: 2,
      minutes: 1439,
      date: "2026-03-04",
    });
  });

  it("follows half-hour and southern-hemisphere zones into the next day", () => {
    expect(localParts(at("2026-03-04T20:00:00Z"), KOLKATA)).toEqual({
      weekday: 3,
      minutes: 90,
      date: "2026-03-05",
    });
    // January is summer (+11) in Sydney, July winter (+10).
    expect(localParts(at("2026-01-15T14:00:00Z"), SYDNEY)).toEqual({
      weekday: 4,
      minutes: 60,
      date: "2026-01-16",
    });
    expect(localParts(at("2026-07-15T14:00:00Z"), SYDNEY)).toEqual({
      weekday: 3,
      minutes: 0,
      date: "2026-07-16",
    });
  });

  it("reads the repeated hour of a fall-back night the same both times", () => {
    const first = localParts(at("2026-11-01T05:30:00Z"), NY);
    const second = localParts(at("2026-11-01T06:30:00Z"), NY);
    expect(first).toEqual({ weekday: 6, minutes: 90, date: "2026-11-01" });
    expect(second).toEqual(first);
  });
});

describe("zonedTime", () => {
  it("finds the instant of a local time", () => {
    expect(iso(zonedTime("2026-03-04", 600, NY))).toBe("2026-03-04T15:00:00.000Z");
    expect(iso(zonedTime("2026-07-01", 600, NY))).toBe("2026-07-01T14:00:00.000Z");
    expect(iso(zonedTime("2026-07-01", 540, LONDON))).toBe("2026-07-01T08:00:00.000Z");
    expect(iso(zonedTime("2026-03-05", 90, KOLKATA))).toBe("2026-03-04T20:00:00.000Z");
    expect(iso(zonedTime("2026-01-16", 0, SYDNEY))).toBe("2026-01-15T13:00:00.000Z");
  });

  it("moves a time the clocks skip to the end of the skip", () => {
    // New York, 2026-03-08: 02:00 EST becomes 03:00 EDT at 07:00Z.
    expect(iso(zonedTime("2026-03-08", 90, NY))).toBe("2026-03-08T06:30:00.000Z");
    expect(iso(zonedTime("2026-03-08", 120, NY))).toBe("2026-03-08T07:00:00.000Z");
    expect(iso(zonedTime("2026-03-08", 150, NY))).toBe("2026-03-08T07:00:00.000Z");
    expect(iso(zonedTime("2026-03-08", 180, NY))).toBe("2026-03-08T07:00:00.000Z");
    expect(iso(zonedTime("2026-03-08", 200, NY))).toBe("2026-03-08T07:20:00.000Z");
    // London, 2026-03-29: 01:00 GMT becomes 02:00 BST at 01:00Z.
    expect(iso(zonedTime("2026-03-29", 90, LONDON))).toBe("2026-03-29T01:00:00.000Z");
    // Sydney, 2026-10-04: 02:00 AEST becomes 03:00 AEDT at 16:00Z the day before.
    expect(iso(zonedTime("2026-10-04", 150, SYDNEY))).toBe("2026-10-03T16:00:00.000Z");
  });

  it("takes the first of a time the clocks repeat", () => {
    // New York, 2026-11-01: 02:00 EDT becomes 01:00 EST at 06:00Z.
    expect(iso(zonedTime("2026-11-01", 60, NY))).toBe("2026-11-01T05:00:00.000Z");
    expect(iso(zonedTime("2026-11-01", 90, NY))).toBe("2026-11-01T05:30:00.000Z");
    expect(iso(zonedTime("2026-11-01", 120, NY))).toBe("2026-11-01T07:00:00.000Z");
    // London, 2026-10-25: 02:00 BST becomes 01:00 GMT at 01:00Z.
    expect(iso(zonedTime("2026-10-25", 90, LONDON))).toBe("2026-10-25T00:30:00.000Z");
    // Sydney, 2026-04-05: 03:00 AEDT becomes 02:00 AEST at 16:00Z the day before.
    expect(iso(zonedTime("2026-04-05", 150, SYDNEY))).toBe("2026-04-04T15:30:00.000Z");
  });

  it("is the inverse of localParts on any ordinary instant", () => {
    for (const tz of [NY, LONDON, SYDNEY, KOLKATA]) {
      for (let ms = Date.UTC(2026, 0, 1); ms < Date.UTC(2027, 0, 1); ms += 7 * 3_600_000 + 13 * 60_000) {
        const { date, minutes } = localParts(new Date(ms), tz);
        const back = zonedTime(date, minutes, tz).getTime();
        // A second occurrence of a repeated time maps to the first, an hour earlier.
        expect([0, 3_600_000], `${tz} ${new Date(ms).toISOString()}`).toContain(ms - back);
      }
    }
  });
});

describe("isOpen", () => {
  it("is open from opening time up to, not including, closing time", () => {
    expect(isOpen(DEFAULT_HOURS, NY, at("2026-03-04T12:59:00Z"))).toBe(false);
    expect(isOpen(DEFAULT_HOURS, NY, at("2026-03-04T13:00:00Z"))).toBe(true);
    expect(isOpen(DEFAULT_HOURS, NY, at("2026-03-04T22:59:59Z"))).toBe(true);
    expect(isOpen(DEFAULT_HOURS, NY, at("2026-03-04T23:00:00Z"))).toBe(false);
  });

  it("is closed on a closed day and in a week with no open day", () => {
    expect(isOpen(DEFAULT_HOURS, NY, at("2026-03-07T15:00:00Z"))).toBe(false);
    expect(isOpen(Array(7).fill(null), NY, at("2026-03-04T15:00:00Z"))).toBe(false);
  });

  it("keeps to the local clock across a change of offset", () => {
    // 08:00 EST on the Friday before, 08:00 EDT on the Monday after.
    expect(isOpen(DEFAULT_HOURS, NY, at("2026-03-06T12:30:00Z"))).toBe(false);
    expect(isOpen(DEFAULT_HOURS, NY, at("2026-03-06T13:00:00Z"))).toBe(true);
    expect(isOpen(DEFAULT_HOURS, NY, at("2026-03-09T12:00:00Z"))).toBe(true);
    expect(isOpen(DEFAULT_HOURS, LONDON, at("2026-03-30T07:00:00Z"))).toBe(true);
    expect(isOpen(DEFAULT_HOURS, LONDON, at("2026-03-27T07:00:00Z"))).toBe(false);
  });

  it("works in a half-hour zone", () => {
    const hours = parseHours(Array(5).fill({ open: "09:00", close: "17:30" }).concat([null, null]));
    expect(isOpen(hours, KOLKATA, at("2026-03-04T03:29:00Z"))).toBe(false);
    expect(isOpen(hours, KOLKATA, at("2026-03-04T03:30:00Z"))).toBe(true);
    expect(isOpen(hours, KOLKATA, at("2026-03-04T11:59:00Z"))).toBe(true);
    expect(isOpen(hours, KOLKATA, at("2026-03-04T12:00:00Z"))).toBe(false);
  });
});

describe("nextOpening", () => {
  it("is the moment itself while open", () => {
    expect(iso(nextOpening(DEFAULT_HOURS, NY, at("2026-03-04T15:00:00Z")))).toBe("2026-03-04T15:00:00.000Z");
  });

  it("is later the same day before opening", () => {
    expect(iso(nextOpening(DEFAULT_HOURS, NY, at("2026-03-04T11:00:00Z")))).toBe("2026-03-04T13:00:00.000Z");
    expect(iso(nextOpening(DEFAULT_HOURS, NY, at("2026-03-04T12:59:59.999Z")))).toBe(
      "2026-03-04T13:00:00.000Z",
    );
  });

  it("skips the weekend over a spring-forward change", () => {
    // Friday 18:30 EST; Monday 08:00 is EDT.
    expect(iso(nextOpening(DEFAULT_HOURS, NY, at("2026-03-06T23:30:00Z")))).toBe("2026-03-09T12:00:00.000Z");
    expect(iso(nextOpening(DEFAULT_HOURS, LONDON, at("2026-03-28T12:00:00Z")))).toBe(
      "2026-03-30T07:00:00.000Z",
    );
  });

  it("skips the weekend over a fall-back change", () => {
    // Friday 18:30 EDT; Monday 08:00 is EST.
    expect(iso(nextOpening(DEFAULT_HOURS, NY, at("2026-10-30T22:30:00Z")))).toBe("2026-11-02T13:00:00.000Z");
    expect(iso(nextOpening(DEFAULT_HOURS, LONDON, at("2026-10-24T12:00:00Z")))).toBe(
      "2026-10-26T08:00:00.000Z",
    );
    // Friday 19:00 AEDT; Monday 08:00 is AEST.
    expect(iso(nextOpening(DEFAULT_HOURS, SYDNEY, at("2026-04-03T08:00:00Z")))).toBe(
      "2026-04-05T22:00:00.000Z",
    );
  });

  it("opens when the clocks skip past the opening time", () => {
    const sunday = onlyOn(6, "02:30", "04:00");
    expect(iso(nextOpening(sunday, NY, at("2026-03-08T05:00:00Z")))).toBe("2026-03-08T07:00:00.000Z");
  });

  it("passes over a day whose hours the clocks skip entirely, a week and a day ahead", () => {
    const sunday = onlyOn(6, "02:15", "02:45");
    // From Saturday noon: that Sunday has no 02:15–02:45, the next one does.
    expect(iso(nextOpening(sunday, NY, at("2026-03-07T17:00:00Z")))).toBe("2026-03-15T06:15:00.000Z");
  });

  it("opens again when the clocks fall back into its hours", () => {
    const sunday = onlyOn(6, "01:30", "01:40");
    // 01:45 EDT, closed; the clock reads 01:30 again at 01:30 EST.
    expect(iso(nextOpening(sunday, NY, at("2026-11-01T05:45:00Z")))).toBe("2026-11-01T06:30:00.000Z");
  });

  it("waits a week for the same weekday once it has closed", () => {
    const wednesday = onlyOn(2, "09:00", "17:00");
    expect(iso(nextOpening(wednesday, KOLKATA, at("2026-03-04T12:00:00Z")))).toBe("2026-03-11T03:30:00.000Z");
  });

  it("is null for a week with no open day", () => {
    expect(nextOpening(Array(7).fill(null), NY, at("2026-03-04T15:00:00Z"))).toBeNull();
  });

  it("is the first open instant from any moment of the year", () => {
    const hours = parseHours([
      nineToFive,
      nineToFive,
      null,
      nineToFive,
      nineToFive,
      { open: "10:00", close: "14:00" },
    ]);
    for (const tz of [NY, LONDON, SYDNEY, KOLKATA]) {
      for (let ms = Date.UTC(2026, 0, 1); ms < Date.UTC(2027, 0, 1); ms += 11 * 3_600_000 + 17 * 60_000) {
        const from = new Date(ms);
        const opening = nextOpening(hours, tz, from);
        const label = `${tz} ${from.toISOString()}`;
        expect(opening, label).not.toBeNull();
        if (!opening) continue;
        expect(opening.getTime(), label).toBeGreaterThanOrEqual(ms);
        expect(isOpen(hours, tz, opening), label).toBe(true);
        if (opening.getTime() > ms) {
          expect(isOpen(hours, tz, new Date(opening.getTime() - 60_000)), label).toBe(false);
        }
      }
    }
  });
});

describe("describeHours", () => {
  it("groups consecutive days with the same hours", () => {
    expect(describeHours(DEFAULT_HOURS)).toBe("Mon–Fri 8–6");
    expect(describeHours([...DEFAULT_HOURS.slice(0, 5), { open: "09:00", close: "13:00" }, null])).toBe(
      "Mon–Fri 8–6, Sat 9–1",
    );
    expect(describeHours(Array(7).fill({ open: "10:00", close: "14:00" }))).toBe("Mon–Sun 10–2");
  });

  it("does not group across a closed day or different hours", () => {
    expect(describeHours([nineToFive, null, nineToFive, nineToFive, null, null, nineToFive])).toBe(
      "Mon 9–5, Wed–Thu 9–5, Sun 9–5",
    );
    const halfPast = { open: "08:30", close: "17:30" };
    expect(
      describeHours([halfPast, halfPast, halfPast, halfPast, { open: "08:30", close: "16:00" }, null, null]),
    ).toBe("Mon–Thu 8:30–5:30, Fri 8:30–4");
  });

  it("writes noon and midnight as 12", () => {
    expect(describeHours(onlyOn(0, "00:00", "12:00"))).toBe("Mon 12–12");
    expect(describeHours(onlyOn(5, "12:00", "23:45"))).toBe("Sat 12–11:45");
  });

  it("says Closed when no day is open", () => {
    expect(describeHours(Array(7).fill(null))).toBe("Closed");
  });
});

describe("describeWhen", () => {
  // Wednesday 2026-03-04, 10:00 EST.
  const now = at("2026-03-04T15:00:00Z");

  it("says today and tomorrow", () => {
    expect(describeWhen(at("2026-03-04T19:00:00Z"), NY, now)).toBe("today at 2 pm");
    expect(describeWhen(at("2026-03-04T17:00:00Z"), NY, now)).toBe("today at 12 pm");
    expect(describeWhen(at("2026-03-05T13:00:00Z"), NY, now)).toBe("tomorrow at 8 am");
  });

  it("names the weekday within the week, after a change of offset too", () => {
    // Monday 08:30 EDT.
    expect(describeWhen(at("2026-03-09T12:30:00Z"), NY, now)).toBe("Monday at 8:30 am");
    expect(describeWhen(at("2026-03-10T13:00:00Z"), NY, now)).toBe("Tuesday at 9 am");
  });

  it("gives the date a week or more away", () => {
    expect(describeWhen(at("2026-03-11T12:00:00Z"), NY, now)).toBe("Wed, Mar 11 at 8 am");
    expect(describeWhen(at("2026-12-14T13:00:00Z"), NY, at("2026-12-04T15:00:00Z"))).toBe(
      "Mon, Dec 14 at 8 am",
    );
  });

  it("counts days by the local calendar, not UTC's", () => {
    // Wednesday 22:00 EST is already Thursday in UTC.
    expect(describeWhen(at("2026-03-05T13:00:00Z"), NY, at("2026-03-05T03:00:00Z"))).toBe("tomorrow at 8 am");
    // Wednesday 23:30 IST, and 00:15 Thursday.
    expect(describeWhen(at("2026-03-04T18:45:00Z"), KOLKATA, at("2026-03-04T18:00:00Z"))).toBe(
      "tomorrow at 12:15 am",
    );
  });
});

describe("inQuietHours", () => {
  const night = { from: "21:00", to: "07:00" };

  it("wraps past midnight", () => {
    expect(inQuietHours(night, NY, at("2026-03-05T01:59:00Z"))).toBe(false);
    expect(inQuietHours(night, NY, at("2026-03-05T02:00:00Z"))).toBe(true);
    expect(inQuietHours(night, NY, at("2026-03-05T05:00:00Z"))).toBe(true);
    expect(inQuietHours(night, NY, at("2026-03-05T11:59:00Z"))).toBe(true);
    expect(inQuietHours(night, NY, at("2026-03-05T12:00:00Z"))).toBe(false);
  });

  it("keeps to the local clock across a change of offset", () => {
    // 07:30 EDT on the Monday after spring forward; 06:30 by the old offset.
    expect(inQuietHours(night, NY, at("2026-03-09T11:30:00Z"))).toBe(false);
    expect(inQuietHours(night, LONDON, at("2026-03-30T06:30:00Z"))).toBe(false);
    // 07:30 AEDT in January, 06:30 AEST in July.
    expect(inQuietHours(night, SYDNEY, at("2026-01-15T20:30:00Z"))).toBe(false);
    expect(inQuietHours(night, SYDNEY, at("2026-07-15T20:30:00Z"))).toBe(true);
  });

  it("works within a day", () => {
    const lunch = { from: "12:00", to: "13:00" };
    expect(inQuietHours(lunch, KOLKATA, at("2026-03-04T06:30:00Z"))).toBe(true);
    expect(inQuietHours(lunch, KOLKATA, at("2026-03-04T07:30:00Z"))).toBe(false);
  });

  it("is never quiet without quiet hours", () => {
    const moment = at("2026-03-05T05:00:00Z");
    expect(inQuietHours(null, NY, moment)).toBe(false);
    expect(inQuietHours({ from: "00:00", to: "00:00" }, NY, moment)).toBe(false);
    expect(inQuietHours({ from: "9pm", to: "07:00" }, NY, moment)).toBe(false);
  });
});

describe("nextLocalTime", () => {
  it("is the next time the clock reads it, strictly after", () => {
    expect(iso(nextLocalTime("07:00", NY, at("2026-03-05T03:00:00Z")))).toBe("2026-03-05T12:00:00.000Z");
    expect(iso(nextLocalTime("07:00", NY, at("2026-03-05T12:00:00Z")))).toBe("2026-03-06T12:00:00.000Z");
    expect(iso(nextLocalTime("07:00", KOLKATA, at("2026-03-04T12:00:00Z")))).toBe("2026-03-05T01:30:00.000Z");
  });

  it("is not a fixed 24 hours on a night the clocks change", () => {
    expect(iso(nextLocalTime("07:00", NY, at("2026-03-08T03:00:00Z")))).toBe("2026-03-08T11:00:00.000Z");
    expect(iso(nextLocalTime("07:00", NY, at("2026-11-01T02:00:00Z")))).toBe("2026-11-01T12:00:00.000Z");
    expect(iso(nextLocalTime("07:00", LONDON, at("2026-03-28T22:00:00Z")))).toBe("2026-03-29T06:00:00.000Z");
    expect(iso(nextLocalTime("07:00", LONDON, at("2026-10-24T22:00:00Z")))).toBe("2026-10-25T07:00:00.000Z");
  });

  it("is the end of the skip for a time the clocks skip", () => {
    expect(iso(nextLocalTime("02:30", NY, at("2026-03-08T05:00:00Z")))).toBe("2026-03-08T07:00:00.000Z");
  });

  it("finds both readings of a time the clocks repeat", () => {
    expect(iso(nextLocalTime("01:30", NY, at("2026-11-01T05:00:00Z")))).toBe("2026-11-01T05:30:00.000Z");
    expect(iso(nextLocalTime("01:30", NY, at("2026-11-01T05:30:00Z")))).toBe("2026-11-01T06:30:00.000Z");
    expect(iso(nextLocalTime("01:30", NY, at("2026-11-01T06:30:00Z")))).toBe("2026-11-02T06:30:00.000Z");
  });

  it("refuses text that is not a time", () => {
    expect(() => nextLocalTime("7am", NY, at("2026-03-05T03:00:00Z"))).toThrow(RangeError);
  });
});
