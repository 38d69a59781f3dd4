import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import * as authRoute from "@/app/api/auth/[...nextauth]/route";

describe("next-auth's endpoints", () => {
  /** A request as `next start` hands it to the route: its URL on localhost, the browser's host forwarded. */
  const asServed = (
    path: string,
    forwarded: string,
    init: { method?: string; body?: URLSearchParams; cookie?: string } = {},
  ) => {
    const origin = new URL(forwarded);
    return new NextRequest(`http://localhost:3000/api/auth/${path}`, {
      method: init.method ?? "GET",
      headers: {
        host: origin.host,
        "x-forwarded-host": origin.host,
        "x-forwarded-proto": origin.protocol.replace(":", ""),
        ...(init.body ? { "content-type": "application/x-www-form-urlencoded" } : {}),
        ...(init.cookie ? { cookie: init.cookie } : {}),
      },
      body: init.body,
    });
  };

  it("redirect to the origin the browser used, not to the server's own address", async () => {
    for (const origin of ["http://127.0.0.1:3000", "https://portal.example"]) {
      const signInPage = await authRoute.GET(asServed("signin", origin));
      const callbackUrl = new URL(signInPage.headers.get("location")!, origin).searchParams.get(
        "callbackUrl",
      );
      expect(callbackUrl).toBe(origin);

      const csrf = await authRoute.GET(asServed("csrf", origin));
      const { csrfToken } = (await csrf.json()) as { csrfToken: string };
      const cookie = csrf.headers
        .getSetCookie()
        .map((c) => c.split(";")[0])
        .join("; ");
      const signOut = await authRoute.POST(
        asServed("signout", origin, { method: "POST", cookie, body: new URLSearchParams({ csrfToken }) }),
      );
      expect(signOut.headers.get("location")).toBe(origin);
      const wrong = await authRoute.POST(
        asServed("callback/credentials", origin, {
          method: "POST",
          cookie,
          body: new URLSearchParams({ csrfToken, email: "nobody@example.com", password: "a guess" }),
        }),
      );
      expect(new URL(wrong.headers.get("location")!).origin).toBe(origin);
    }
  });
});
