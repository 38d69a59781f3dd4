import { type AuthenticatedKey, authenticateApiKey } from "@/lib/auth/api-keys";
import type { Scope } from "@/lib/auth/scopes";
import { errors } from "./errors";
import { countDailyRequest, rateLimitHeaders, secondsUntil } from "./rate-limit";
import { API_VERSION, errorResponse } from "./respond";

interface HandlerContext<P> {
  req: Request;
  key: AuthenticatedKey;
  params: P;
  /** The values of the `alsoRead` keys, read from KV with the request's count. */
  read: (string | null)[];
}

interface HandlerOptions {
  /** KV keys the handler reads first, fetched in the same round trip as the daily count. */
  alsoRead?: (key: AuthenticatedKey) => string[];
}

/**
 * The one wrapper for API-key routes, so no handler can skip a check. Order: version header,
 * authentication, scope, daily limit; the handler then reads the body. Every authenticated request
 * counts against the key's limit and carries the X-RateLimit-* headers.
 */
export function withApiKey<P extends Record<string, string> = Record<string, never>>(
  scope: Scope | null,
  handler: (ctx: HandlerContext<P>) => Promise<Response>,
  options: HandlerOptions = {},
) {
  return async (req: Request, route: { params: Promise<P> }): Promise<Response> => {
    let limitHeaders: Record<string, string> = {};
    try {
      const version = req.headers.get("rotor-api-version");
      if (version !== null && version.trim() !== API_VERSION) throw errors.unsupportedVersion(version);

      const presented = req.headers.get("x-api-key")?.trim();
      if (!presented) throw errors.authenticationRequired();
      const key = await authenticateApiKey(presented);
      if (!key) throw errors.invalidKey();

      const limit = await countDailyRequest(key.id, key.dailyLimit, options.alsoRead?.(key));
      limitHeaders = rateLimitHeaders(limit);
      if (scope && !key.scopes.includes(scope)) throw errors.insufficientScope(scope);
      if (limit.exceeded) throw errors.rateLimited(limit.limit, secondsUntil(limit.reset));

      const response = await handler({ req, key, params: await route.params, read: limit.values });
      for (const [name, value] of Object.entries(limitHeaders)) response.headers.set(name, value);
      return response;
    } catch (error) {
      return errorResponse(error, limitHeaders);
    }
  };
}

/**
 * Handlers for the methods a route does not serve, so that every answer is JSON: a 405 naming the
 * ones it does, and OPTIONS listing them (Next.js would otherwise list every exported method).
 */
export function otherMethods(allowed: string[]) {
  const refuse = async (): Promise<Response> => errorResponse(errors.methodNotAllowed(allowed));
  const options = async (): Promise<Response> =>
    new Response(null, {
      status: 204,
      headers: { allow: [...allowed, "OPTIONS"].join(", "), "rotor-api-version": API_VERSION },
    });
  return { GET: refuse, POST: refuse, PUT: refuse, PATCH: refuse, DELETE: refuse, OPTIONS: options };
}
