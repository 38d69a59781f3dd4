import { z } from "zod";
import { withSession } from "@/lib/api/with-session";
import { jsonResponse } from "@/lib/api/respond";
import { fail } from "@/lib/errors";
import { readJsonAs } from "@/lib/http/body";
import { decideProposal } from "@/lib/leads/history";

// Vercel gives routes of one configuration one function: this (the default limit, stated) puts
// the admin's API in a function of its own, beside the public one (README, "Deploy on Vercel").
export const maxDuration = 300;

const decisionSchema = z.object({ accept: z.boolean() });

/** Accepts (the value is written to the lead) or dismisses a change a submission proposed. */
export const POST = withSession<{ id: string; proposalId: string }>({}, async ({ req, user, params }) => {
  const { accept } = await readJsonAs(req, decisionSchema);
  const proposalId = Number(params.proposalId);
  if (!Number.isSafeInteger(proposalId) || proposalId <= 0) throw fail.notFound();
  await decideProposal(user, params.id, proposalId, accept);
  return jsonResponse({ message: accept ? "Change accepted" : "Change dismissed", status: "success" });
});
