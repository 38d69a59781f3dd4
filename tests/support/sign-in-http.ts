/** Signs in over HTTP as the sign-in page does; the session cookie, or null when refused. */
export async function signInOverHttp(base: string, email: string, password: string): Promise<string | null> {
  const cookies = (response: Response) =>
    response.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookies(csrf) },
    body: new URLSearchParams({ csrfToken, email, password }),
  });
  const session = cookies(response);
  return session.includes("authjs.session-token") ? session : null;
}
