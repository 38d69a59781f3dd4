import { type NextRequest, NextResponse } from "next/server";
import { HSTS } from "@/lib/http/hsts";

/** Admin pages a visitor without a session may open. */
const OPEN_ADMIN_PAGES = new Set(["/admin/sign-in", "/admin/setup"]);

/**
 * Baseline security headers on the pages (the API sets its own in lib/api/respond.ts), and the
 * admin's first gate: a visitor without a session cookie is sent to sign-in. The cookie is only
 * looked at here; every admin page and route checks the session itself (lib/auth/page-session.ts,
 * lib/api/admin-handler.ts).
 */
export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  // Next.js's own redirect of "/path/" is turned off for the API's sake (next.config.mjs): the
  // pages keep one address each here.
  if (pathname.length > 1 && pathname.endsWith("/")) {
    // A plain URL: Next's own would put the slash back, as it remembers the request had one.
    const target = new URL(request.url);
    target.pathname = pathname.replace(/\/+$/, "") || "/";
    return NextResponse.redirect(target, 308);
  }
  const admin = pathname === "/admin" || pathname.startsWith("/admin/");
  if (admin && !OPEN_ADMIN_PAGES.has(pathname) && !hasSessionCookie(request)) {
    const target = new URL("/admin/sign-in", request.url);
    target.searchParams.set("callbackUrl", pathname + search);
    return NextResponse.redirect(target);
  }
  // A fresh nonce per page view: Next.js reads the policy from the request and gives the nonce to
  // every script it renders; nothing else may run.
  const nonce = btoa(crypto.randomUUID());
  const policy = contentSecurityPolicy(nonce);
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", policy);
  response.headers.set("x-content-type-options", "nosniff");
  response.headers.set("referrer-policy", "strict-origin-when-cross-origin");
  if (process.env.NODE_ENV === "production") {
    response.headers.set("strict-transport-security", HSTS);
  }
  if (admin) {
    // The admin is never framed; the form pages set their own frame-ancestors per form.
    response.headers.set("x-frame-options", "DENY");
  }
  return response;
}

/**
 * The pages' policy: scripts only with this response's nonce (and what they load, 'strict-dynamic'),
 * everything else from the portal itself; sign-in forms may go on to GitHub or Google; never framed.
 */
function contentSecurityPolicy(nonce: string): string {
  const dev = process.env.NODE_ENV === "development";
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    // A logo may be an https address (Settings).
    "img-src 'self' data: blob: https:",
    "font-src 'self'",
    `connect-src 'self'${dev ? " ws:" : ""}`,
    // The admin's service worker (public/sw.js), which shows push alerts.
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self' https://github.com https://accounts.google.com",
    "frame-ancestors 'none'",
  ].join("; ");
}

function hasSessionCookie(request: NextRequest): boolean {
  return request.cookies.getAll().some((c) => /^(__Secure-)?authjs\.session-token(\.\d+)?$/.test(c.name));
}

export const config = {
  // Route handlers set their own headers (lib/api/respond.ts, lib/forms/http.ts) and admin routes
  // check the session themselves, so the API, the intake, the form pages and the loader are left
  // out: a proxy in front of them costs every request a pass through it, and buffers POST bodies.
  matcher: ["/((?!open-api|api/|f/|embed\\.js|_next/static|_next/image|favicon.ico).*)"],
};
