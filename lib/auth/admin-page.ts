import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache, type ReactNode } from "react";
import { sessionFromHeaders, type SessionUser } from "./session";

/** The signed-in user of the request being rendered; read once per request however many ask. */
export const currentUser = cache(async (): Promise<SessionUser | null> =>
  sessionFromHeaders(await headers()),
);

/**
 * Where a page sends a request whose session cookie no longer holds (proxy.ts sends those without
 * one): the session has ended, and the sign-in page says so.
 */
export const SESSION_ENDED = "/admin/sign-in?notice=session-ended";

/**
 * The one wrapper for admin pages, as withSession is for admin routes: the page renders only for a
 * signed-in user (checked here, not only by proxy.ts), and admin-only pages only for admins.
 */
export function adminPage<P>(
  options: { adminOnly?: boolean },
  render: (user: SessionUser, props: P) => Promise<ReactNode>,
): (props: P) => Promise<ReactNode> {
  return async function AdminPage(props: P) {
    const user = await currentUser();
    if (!user) redirect(SESSION_ENDED);
    if (options.adminOnly && user.role !== "admin") redirect("/admin");
    return render(user, props);
  };
}
