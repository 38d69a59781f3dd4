"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { type ReactNode, useRef, useState } from "react";

/**
 * The admin's links and `children` (who is signed in, sign out). On a wide screen they sit in the
 * bar; below 640px they fold behind a Menu button (a disclosure: aria-expanded, Escape closes it)
 * so the bar stays one row on a phone.
 */
export function AdminNav({
  admin,
  devMail = false,
  children,
}: {
  admin: boolean;
  devMail?: boolean;
  children?: ReactNode;
}) {
  const pathname = usePathname();
  // The menu is open on the page it was opened on: following one of its links closes it.
  const [openOn, setOpenOn] = useState<string | null>(null);
  const open = openOn === pathname;
  const toggle = useRef<HTMLButtonElement>(null);
  const links = [
    { href: "/admin", label: "Dashboard" },
    { href: "/admin/leads", label: "Leads" },
    ...(admin
      ? [
          { href: "/admin/review", label: "Review" },
          { href: "/admin/forms", label: "Forms" },
          { href: "/admin/api-keys", label: "API keys" },
          { href: "/admin/deliveries", label: "Deliveries" },
          { href: "/admin/users", label: "Users" },
          { href: "/admin/settings", label: "Settings" },
          ...(devMail ? [{ href: "/admin/mail", label: "Mail (dev)" }] : []),
        ]
      : []),
  ];
  const current = (href: string) => (href === "/admin" ? pathname === href : pathname.startsWith(href));
  return (
    <>
      <button
        ref={toggle}
        type="button"
        className="menu-toggle"
        aria-expanded={open}
        aria-controls="admin-menu"
        onClick={() => setOpenOn(open ? null : pathname)}
      >
        <span className="menu-icon" aria-hidden="true" />
        Menu
      </button>
      <div
        id="admin-menu"
        className="admin-menu"
        data-open={open || undefined}
        onKeyDown={(e) => {
          if (e.key === "Escape" && open) {
            setOpenOn(null);
            toggle.current?.focus();
          }
        }}
      >
        <nav aria-label="Admin">
          {links.map((link) => (
            <Link key={link.href} href={link.href} aria-current={current(link.href) ? "page" : undefined}>
              {link.label}
            </Link>
          ))}
        </nav>
        {children}
      </div>
    </>
  );
}
