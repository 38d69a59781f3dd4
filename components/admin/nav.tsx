"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

export function AdminNav({ admin, devMail = false }: { admin: boolean; devMail?: boolean }) {
  const pathname = usePathname();
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
    <nav aria-label="Admin">
      {links.map((link) => (
        <Link key={link.href} href={link.href} aria-current={current(link.href) ? "page" : undefined}>
          {link.label}
        </Link>
      ))}
    </nav>
  );
}
