import { NextResponse } from "next/server";

/** Baseline security headers on the pages (the API sets its own in lib/api/respond.ts). */
export function proxy() {
  const response = NextResponse.next();
  response.headers.set("x-content-type-options", "nosniff");
  response.headers.set("referrer-policy", "strict-origin-when-cross-origin");
  return response;
}

export const config = {
  // The API is left out: a proxy in front of it would buffer every request body to add two headers.
  matcher: ["/((?!open-api|_next/static|_next/image|favicon.ico).*)"],
};
