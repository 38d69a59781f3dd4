import { sessionFromHeaders, type SessionUser } from "@/lib/auth/session";
import { requestOrigin } from "@/lib/http/origin";
import { errors } from "./errors";
import { errorResponse } from "./respond";

interface AdminContext<P> {
  req: Request;
  user: SessionUser;
  params: P;
}

const SAFE_METHODS = new Set(["GET", "HEAD"]);

/**
 * A browser names the page's origin on every state-changing request; it must be this site's, scheme
 * included: a page served over plain HTTP (which anyone on the network can rewrite) may not write to
 * the HTTPS site of the same name.
 */
function sameOrigin(req: Request): boolean {
  const origin = req.headers.get("origin");
  if (origin === null) return true;
  return origin.toLowerCase() === requestOrigin(req);
}

/**
 * The one wrapper for /api/admin routes, so no handler can skip a check: a signed-in user (read
 * from the database each time), the role when one is required, and for writes a same-origin request
 * (the session cookie is SameSite=Lax already; this also refuses a form posted from elsewhere).
 */
export function withSession<P extends Record<string, string> = Record<string, never>>(
  options: { adminOnly?: boolean },
  handler: (ctx: AdminContext<P>) => Promise<Response>,
) {
  return async (req: Request, route: { params: Promise<P> }): Promise<Response> => {
    try {
      const user = await sessionFromHeaders(req.headers);
      if (!user) throw errors.signInRequired();
      if (!SAFE_METHODS.has(req.method) && !sameOrigin(req)) throw errors.crossOrigin();
      if (options.adminOnly && user.role !== "admin") throw errors.adminOnly();
      return await handler({ req, user, params: await route.params });
    } catch (error) {
      return errorResponse(error);
    }
  };
}
