import { sql } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { fail } from "@/lib/errors";

/**
 * Leads that are probably one person, for staff to merge (lib/leads/merge.ts): the same name and
 * the same street address, or the same name and a phone that differs only by its extension, or an
 * email that differs only by dots or a plus-tag in its local part ("ann.lee+roof@x" is "annlee@x").
 * The intake already makes one lead of a phone or an email seen again, so these are the people it
 * could not match: typed twice by staff, or sent once with each address. The keys are the
 * migration's SQL functions (lead_name_key, lead_email_key), indexed per company. Pairs staff said
 * are two people (duplicate_dismissals) are left out.
 */

export type DuplicateReason = "address" | "phone" | "email";

export interface DuplicateLead {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  address: string | null;
  stage: string | null;
  created_at: string;
}

export interface DuplicatePair {
  a: DuplicateLead;
  b: DuplicateLead;
  reason: DuplicateReason;
}

export const REASON_TEXT: Record<DuplicateReason, string> = {
  address: "same name and address",
  phone: "same name, and the same phone apart from its extension",
  email: "the same email apart from dots or a plus-tag",
};

/** A street as a key: lower-case letters and digits only, so "12 Oak St." is "12 Oak st". */
const streetKey = (column: string) =>
  sql.raw(`nullif(regexp_replace(lower(coalesce(${column}, '')), '[^a-z0-9]', '', 'g'), '')`);

const leadColumns = (alias: string) =>
  sql.raw(
    `json_build_object('id', ${alias}.id, 'name', ${alias}.name, 'email', ${alias}.email, 'phone', ${alias}.phone,
      'address', nullif(concat_ws(', ', ${alias}.address_street1, ${alias}.address_city, ${alias}.address_zip), ''),
      'stage', ${alias}.stage, 'created_at', ${alias}.created_at)`,
  );

/** What two leads a and b share that makes them one person, as SQL over aliases a and b. */
function sameName(): ReturnType<typeof sql> {
  return sql`(
      (${streetKey("a.address_street1")} = ${streetKey("b.address_street1")}
        and (a.address_zip is null or b.address_zip is null or a.address_zip = b.address_zip))
      or split_part(a.phone, ';', 1) = split_part(b.phone, ';', 1)
    )`;
}

const reasonOf = sql.raw(`case
    when lead_email_key(a.email_lc) = lead_email_key(b.email_lc) then 'email'
    when split_part(a.phone, ';', 1) = split_part(b.phone, ';', 1) then 'phone'
    else 'address' end`);

const notDismissed = sql.raw(`not exists (select 1 from duplicate_dismissals d
      where d.lead_a = least(a.id, b.id) and d.lead_b = greatest(a.id, b.id))`);

type PairRow = { a: DuplicateLead; b: DuplicateLead; reason: DuplicateReason };

/**
 * The company's probable duplicates, the newest pairs first (by the newer lead of each), at most
 * `limit`. Two joins on indexed keys, one by name and one by email, rather than one join on either:
 * a join on an OR compares every lead with every other.
 */
export async function duplicatePairs(companyId: string, limit = 50): Promise<DuplicatePair[]> {
  const db = await getDb();
  const { rows } = (await db.execute(sql`
    with pairs as (
      select a.id as a_id, b.id as b_id from leads a
      join leads b on b.company_id = a.company_id and lead_name_key(b.name) = lead_name_key(a.name)
        and b.id > a.id
      where a.company_id = ${companyId} and lead_name_key(a.name) is not null and ${sameName()}
      union
      select a.id, b.id from leads a
      join leads b on b.company_id = a.company_id and lead_email_key(b.email_lc) = lead_email_key(a.email_lc)
        and b.id > a.id
      where a.company_id = ${companyId} and lead_email_key(a.email_lc) is not null
    )
    select ${leadColumns("a")} as a, ${leadColumns("b")} as b, ${reasonOf} as reason
    from pairs p join leads a on a.id = p.a_id join leads b on b.id = p.b_id
    where ${notDismissed}
    order by greatest(a.created_at, b.created_at) desc, p.a_id, p.b_id
    limit ${limit}`)) as unknown as { rows: PairRow[] };
  return rows.map(shape);
}

/** The leads that are probably the same person as one lead of the company (the lead page). */
export async function duplicatesOf(companyId: string, leadId: string): Promise<DuplicatePair[]> {
  const db = await getDb();
  const { rows } = (await db.execute(sql`
    select ${leadColumns("a")} as a, ${leadColumns("b")} as b, ${reasonOf} as reason
    from leads a join leads b on b.company_id = a.company_id and b.id <> a.id and (
      (lead_name_key(b.name) = lead_name_key(a.name) and ${sameName()})
      or lead_email_key(b.email_lc) = lead_email_key(a.email_lc)
    )
    where a.id = ${leadId} and a.company_id = ${companyId} and ${notDismissed}
    order by b.created_at desc
    limit 5`)) as unknown as { rows: PairRow[] };
  return rows.map(shape);
}

function shape(row: PairRow): DuplicatePair {
  const lead = (l: DuplicateLead): DuplicateLead => ({
    ...l,
    created_at: new Date(l.created_at).toISOString(),
  });
  return { a: lead(row.a), b: lead(row.b), reason: row.reason };
}

/** Staff say two leads are two people: they are not suggested together again. */
export async function dismissDuplicate(companyId: string, ids: [string, string], at: Date): Promise<void> {
  const [first, second] = ids[0] < ids[1] ? ids : [ids[1], ids[0]];
  if (first === second) throw fail.invalid("ids", "Choose two different leads");
  const db = await getDb();
  const { rows } = (await db.execute(sql`
    insert into duplicate_dismissals (lead_a, lead_b, company_id, at)
    select ${first}, ${second}, ${companyId}, ${at.toISOString()}
    where (select count(*) from leads where id in (${first}, ${second}) and company_id = ${companyId}) = 2
    on conflict do nothing
    returning lead_a`)) as unknown as { rows: unknown[] };
  if (rows.length === 0) {
    const { rows: both } = (await db.execute(sql`
      select count(*)::integer as n from leads where id in (${first}, ${second}) and company_id = ${companyId}`)) as unknown as {
      rows: { n: number }[];
    };
    if (both[0]!.n !== 2) throw fail.notFound();
  }
}
