import { withSession } from "@/lib/api/with-session";
import { jsonResponse } from "@/lib/api/respond";
import { readJsonAs } from "@/lib/http/body";
import { pipeline, pipelineInput, savePipeline } from "@/lib/leads/pipeline";

/** The company's pipeline: its stages in order, each open, won or lost. */
export const GET = withSession({}, async ({ user }) =>
  jsonResponse({ data: await pipeline(user.companyId), status: "success" }),
);

/** Admins rename, reorder, add and retire stages; a retired stage's leads move where they say. */
export const PUT = withSession({ adminOnly: true }, async ({ req, user }) => {
  const input = await readJsonAs(req, pipelineInput);
  const { stages, moved } = await savePipeline(user, input);
  return jsonResponse({ data: stages, moved, message: "Pipeline saved", status: "success" });
});
