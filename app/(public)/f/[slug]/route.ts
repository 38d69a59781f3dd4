import { issueToken } from "@/lib/forms/guard";
import { cleanUrl, type VisitContext } from "@/lib/forms/context";
import { logoResponse } from "@/lib/forms/logo";
import { archivedFormPage, formNotFoundPage, formPage } from "@/lib/forms/pages";
import { findForm } from "@/lib/forms/repository";
import { countView } from "@/lib/forms/stats";
import { requestOrigin } from "@/lib/http/origin";

export async function GET(req: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const form = await findForm(slug);
  // The logo uploaded in Settings is served here too (?logo=VERSION), not by a route of its own:
  // every route adds its own copy of the app's code to the one function Vercel deploys them in.
  if (new URL(req.url).searchParams.has("logo")) return logoResponse(req, form);
  if (!form) return formNotFoundPage();
  if (form.archivedAt) return archivedFormPage(form);
  const visit = visitOf(req);
  // Counted beside the rendering, not before it; a failure to count is only logged.
  const [page] = await Promise.all([
    formPage(form, await issueToken(form), visit),
    countView(form, req, visit.page),
  ]);
  return page;
}

/**
 * The page the form sits on: the embedding page, which the loader passes as ?page= and ?ref=, or,
 * opened directly, this address (with its UTM parameters) and the browser's Referer.
 */
function visitOf(req: Request): VisitContext {
  const url = new URL(req.url);
  const query = url.searchParams;
  // As the browser asked for it (127.0.0.1 stays 127.0.0.1), not as the server's own address.
  const asked = `${requestOrigin(req) ?? url.origin}${url.pathname}${url.search}`;
  return {
    page: cleanUrl(query.get("page")) ?? cleanUrl(asked),
    referrer: cleanUrl(query.get("ref")) ?? cleanUrl(req.headers.get("referer")),
  };
}
