import { errors } from "@/lib/api/errors";
import { errorResponse } from "@/lib/api/respond";

/** Any other path under /open-api answers in JSON too, as the contract wants of every response. */
async function notFound(): Promise<Response> {
  return errorResponse(errors.notFound());
}

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
export const OPTIONS = notFound;
