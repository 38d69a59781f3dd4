import { eq } from "drizzle-orm";
import { DEFAULT_COMPANY_SLUG, getDb } from "./client";
import { type Company, companies } from "./schema";

export async function findCompany(slug: string = DEFAULT_COMPANY_SLUG): Promise<Company | undefined> {
  const db = await getDb();
  const [company] = await db.select().from(companies).where(eq(companies.slug, slug)).limit(1);
  return company;
}

/** The company with this slug, created (named after the slug unless a name is given) when missing. */
export async function ensureCompany(slug: string, name?: string): Promise<Company> {
  const db = await getDb();
  await db
    .insert(companies)
    .values({ slug, name: name ?? slug })
    .onConflictDoNothing({ target: companies.slug });
  const company = await findCompany(slug);
  if (!company) throw new Error(`Company ${slug} could not be created`);
  return company;
}
