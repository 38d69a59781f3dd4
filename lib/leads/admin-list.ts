import type { SessionUser } from "@/lib/auth/users";
import { scopeOf } from "./admin";
import { parseAdminListQuery } from "./admin-query";
import { leadMarks, type Mark } from "./reads";
import type { ListResponse } from "./schema";
import { leadStore } from "./store";
import type { ListOptions } from "./store/types";

/** The admin's list: the API's envelope, and the user's marks on its leads (new, changed). */
export type AdminListResponse = ListResponse & { marks: Record<string, Mark> };

/**
 * A page of the admin's list for the address's parameters. The envelope is cached per company,
 * member and query (lib/leads/cache.ts); the marks are this user's, read afresh for the page's
 * leads on every request and added outside the cached body.
 */
export async function adminLeadList(
  user: SessionUser,
  params: URLSearchParams,
  options: ListOptions = {},
): Promise<{ list: AdminListResponse; hit: boolean }> {
  const query = await parseAdminListQuery(user, params);
  const store = await leadStore(user.companyId);
  const { body, hit } = await store.listJson(scopeOf(user), query, options);
  // Built by the store's own schema before it was cached; read back as that.
  const envelope = JSON.parse(body) as ListResponse;
  const marks = store.capabilities.triage
    ? await leadMarks(
        user.id,
        envelope.data.map((lead) => lead.id),
      )
    : {};
  return { list: { ...envelope, marks }, hit };
}
