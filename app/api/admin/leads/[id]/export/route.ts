import { withSession } from "@/lib/api/with-session";
import { historyCsv, personData } from "@/lib/leads/person";

// Vercel gives routes of one configuration one function: this (the default limit, stated) puts
// the admin's API in a function of its own, beside the public one (README, "Deploy on Vercel").
export const maxDuration = 300;

/**
 * Everything about one person, for an admin: `?format=json` (the default) gives the lead, every
 * submission and the whole history; `?format=csv` the history, one row per change.
 */
export const GET = withSession<{ id: string }>({ adminOnly: true }, async ({ req, user, params }) => {
  const csv = new URL(req.url).searchParams.get("format") === "csv";
  const name = `lead-${params.id}`;
  if (csv) {
    return new Response(await historyCsv(user, params.id), {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${name}-history.csv"`,
        "cache-control": "no-store",
      },
    });
  }
  return new Response(JSON.stringify(await personData(user, params.id), null, 2), {
    headers: {
      "content-type": "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="${name}.json"`,
      "cache-control": "no-store",
    },
  });
});
