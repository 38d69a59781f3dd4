import Link from "next/link";
import { notFound } from "next/navigation";
import { MergeForm } from "@/components/leads/merge-form";
import { adminPage } from "@/lib/auth/admin-page";
import { DomainError } from "@/lib/errors";
import { type AdminLead, assignableUsers } from "@/lib/leads/admin";
import { leadStore } from "@/lib/leads/store";

type Search = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** Two leads compared field by field, and merged into one (admins): /admin/leads/merge?a=ID&b=ID. */
export default adminPage<Search>({ adminOnly: true }, async (user, { searchParams }) => {
  const given = await searchParams;
  const [aId, bId] = [given.a, given.b].map((v) => (Array.isArray(v) ? v[0] : v));
  const store = await leadStore(user.companyId);
  if (!store.capabilities.merge || !aId || !bId || aId === bId) notFound();
  let a: AdminLead;
  let b: AdminLead;
  try {
    [a, b] = await Promise.all([store.getForStaff(user, aId), store.getForStaff(user, bId)]);
  } catch (error) {
    if (error instanceof DomainError && error.code === "not_found") {
      return (
        <>
          <p>
            <Link href="/admin/leads/duplicates">← Duplicates</Link>
          </p>
          <h1>Merge two leads</h1>
          <p role="alert">
            One of these leads is no longer there: it may have been merged or erased already.
          </p>
        </>
      );
    }
    throw error;
  }
  const people = Object.fromEntries((await assignableUsers(user.companyId)).map((p) => [p.id, p.label]));
  return (
    <>
      <p>
        <Link href="/admin/leads/duplicates">← Duplicates</Link>
      </p>
      <h1>Merge two leads</h1>
      <p className="muted">
        Choose the lead that stays and, for each field that differs, the value it keeps.
      </p>
      <MergeForm a={a} b={b} people={people} />
    </>
  );
});
