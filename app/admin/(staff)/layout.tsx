import Link from "next/link";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { AdminNav } from "@/components/admin/nav";
import { UpstreamBar } from "@/components/admin/upstream-bar";
import { devMailboxOn } from "@/lib/alerts/dev-mail";
import { signOutAction } from "@/lib/auth/actions";
import { currentUser, SESSION_ENDED } from "@/lib/auth/admin-page";
import { leadStore } from "@/lib/leads/store";

export default async function StaffLayout({ children }: { children: ReactNode }) {
  const user = await currentUser();
  if (!user) redirect(SESSION_ENDED);
  return (
    <>
      <header className="admin-bar">
        <strong className="brand">Leads portal</strong>
        <AdminNav admin={user.role === "admin"} devMail={devMailboxOn()}>
          <div className="who">
            <Link href="/admin/account">
              {user.name ?? user.email} · {user.role}
            </Link>
            <form action={signOutAction}>
              <button type="submit">Sign out</button>
            </form>
          </div>
        </AdminNav>
      </header>
      <main className="admin-main">
        {(await leadStore(user.companyId)).capabilities.requestQuota ? (
          <UpstreamBar companyId={user.companyId} admin={user.role === "admin"} />
        ) : null}
        {children}
      </main>
    </>
  );
}
