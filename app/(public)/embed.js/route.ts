import { EMBED_SCRIPT } from "@/lib/forms/embed-script";

export function GET(): Response {
  return new Response(EMBED_SCRIPT, {
    headers: {
      "content-type": "text/javascript; charset=utf-8",
      "cache-control": "public, max-age=300",
      "x-content-type-options": "nosniff",
      // Loaded by businesses' own sites.
      "cross-origin-resource-policy": "cross-origin",
    },
  });
}
