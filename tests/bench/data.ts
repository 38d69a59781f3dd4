import type { ListQuery } from "@/lib/leads/list";

export const FIRST_NAMES = [
  "James",
  "Mary",
  "Robert",
  "Patricia",
  "John",
  "Jennifer",
  "Michael",
  "Linda",
  "David",
  "Elizabeth",
  "William",
  "Barbara",
  "Richard",
  "Susan",
  "Joseph",
  "Jessica",
  "Thomas",
  "Sarah",
  "Charles",
  "Karen",
  "Christopher",
  "Lisa",
  "Daniel",
  "Nancy",
  "Matthew",
  "Betty",
  "Anthony",
  "Sandra",
  "Mark",
  "Margaret",
  "Donald",
  "Ashley",
  "Steven",
  "Kimberly",
  "Andrew",
  "Emily",
  "Paul",
  "Donna",
  "Joshua",
  "Michelle",
] as const;

const SURNAME_STARTS = [
  "Ander",
  "Bell",
  "Carl",
  "Dun",
  "Ever",
  "Fitz",
  "Gar",
  "Hol",
  "Ing",
  "Jen",
  "Kel",
  "Lind",
  "Mor",
  "Nor",
  "Ols",
  "Pat",
  "Quin",
  "Ross",
  "Sand",
  "Thom",
  "Upton",
  "Vance",
  "Wal",
  "Yor",
  "Zim",
  "Ash",
  "Brad",
  "Crom",
  "Dal",
  "Ell",
  "Fair",
  "Glen",
  "Hart",
  "Ives",
  "Kings",
  "Lang",
  "Mil",
  "New",
  "Oak",
  "Pem",
] as const;
const SURNAME_ENDS = ["son", "ton", "man", "ley", "wood", "field", "berg", "ford", "well", "ridge"] as const;

/** 400 surnames, so a surname matches a quarter of a percent of the leads, as common ones do. */
export const LAST_NAMES = SURNAME_STARTS.flatMap((a) => SURNAME_ENDS.map((b) => a + b));

/** Distinct list queries with a search: name parts, email parts and phone fragments, over pages. */
export function searchQueries(count: number): ListQuery[] {
  const terms: string[] = [];
  for (let i = 0; terms.length < count; i++) {
    const last = LAST_NAMES[(i * 7) % LAST_NAMES.length]!.toLowerCase();
    const first = FIRST_NAMES[i % FIRST_NAMES.length]!.toLowerCase();
    const kind = i % 10;
    // What people type: a surname, a full name, an email's start, part of a phone, a first name.
    if (kind < 3) terms.push(last);
    else if (kind < 5) terms.push(`${first} ${last}`);
    else if (kind < 7) terms.push(`${first}.${last}`);
    else if (kind < 9) terms.push(`612-20${String(i % 100).padStart(2, "0")}-${i % 10}`);
    else terms.push(first);
  }
  return terms.map((search, i) => ({ archived: false, limit: 50, page: 1 + (i % 3), search }));
}
