import { describe, expect, it } from "vitest";
import { listQueryString, parseSort, sortParam, viewQueryString } from "@/lib/leads/list-keys";

describe("the leads list's query string", () => {
  it("keeps the list's own keys only, in their order, and leaves out the default order", () => {
    const params = new URLSearchParams("page=2&sort=-created&utm_source=x&due=1&search=ann&stage=New");
    expect(listQueryString((key) => params.get(key))).toBe("search=ann&stage=New&due=1&page=2");
  });

  it("as a view: neither the page nor the page size", () => {
    expect(viewQueryString("limit=100&page=3&sort=-value&assigned=me&tags=roof")).toBe(
      "tags=roof&assigned=me&sort=-value",
    );
    expect(viewQueryString("?limit=25")).toBe("");
  });

  it("reads a sort both ways, the newest first as no sort at all", () => {
    expect(parseSort("-follow-up")).toEqual({ field: "follow-up", descending: true });
    expect(parseSort("name")).toEqual({ field: "name", descending: false });
    expect(parseSort("-created")).toBeNull();
    expect(parseSort(null)).toBeNull();
    expect(sortParam({ field: "value", descending: true })).toBe("-value");
  });
});
