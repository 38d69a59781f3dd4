import Link from "next/link";
import { Board } from "@/components/leads/board";
import { adminPage } from "@/lib/auth/admin-page";
import { assignableUsers, scopeOf } from "@/lib/leads/admin";
import { boardColumns } from "@/lib/leads/board";
import { pipeline } from "@/lib/leads/pipeline";
import { leadStore } from "@/lib/leads/store";

type Search = { searchParams: Promise<Record<string, string | string[] | undefined>> };
const one = (value: string | string[] | undefined) =>
  (Array.isArray(value) ? value[0] : value)?.trim() || undefined;

/** The pipeline as a board, with the list's filters (search and tags); a GET form, so links share it. */
export default adminPage<Search>({}, async (user, { searchParams }) => {
  const store = await leadStore(user.companyId);
  if (!store.capabilities.stats) {
    return (
      <>
        <h1>Board</h1>
        <p>
          The leads live in Rotor, whose API cannot count them by stage. Use Rotor&apos;s own pipeline view.
        </p>
      </>
    );
  }
  const query = await searchParams;
  const filters = { search: one(query.search), tags: one(query.tags) };
  const stages = await pipeline(user.companyId);
  const [columns, staff] = await Promise.all([
    boardColumns(scopeOf(user), filters, stages),
    user.role === "admin" ? assignableUsers(user.companyId) : Promise.resolve([]),
  ]);
  const assignees = Object.fromEntries(staff.map((s) => [s.id, s.label.replace(/ \(.*\)$/, "")]));
  assignees[user.id] = "You";
  return (
    <>
      <div className="page-head">
        <h1>Board</h1>
        <span>
          <Link className="button" href="/admin/leads">
            List
          </Link>{" "}
          {user.role === "admin" ? (
            <Link className="button" href="/admin/settings#pipeline-title">
              Edit stages
            </Link>
          ) : null}
        </span>
      </div>
      <form className="toolbar" role="search" method="get">
        <div className="field">
          <label htmlFor="search">Search</label>
          <input id="search" name="search" type="search" defaultValue={filters.search ?? ""} />
        </div>
        <div className="field">
          <label htmlFor="tags">Tags</label>
          <input
            id="tags"
            name="tags"
            defaultValue={filters.tags ?? ""}
            placeholder="Any of, separated by commas"
          />
        </div>
        <button type="submit">Filter</button>
        {filters.search || filters.tags ? <Link href="/admin/leads/board">Clear</Link> : null}
      </form>
      {/* A new set of columns (a filter, a refresh) starts the board afresh. */}
      <Board key={JSON.stringify(filters)} columns={columns} assignees={assignees} />
    </>
  );
});
