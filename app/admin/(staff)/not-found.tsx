import Link from "next/link";

/**
 * The admin's own 404, inside its frame: an address under /admin that names no page (the
 * catch-all beside this file), or a lead or form that is not there or not this member's.
 */
export default function AdminNotFound() {
  return (
    <section className="not-found" aria-labelledby="not-found-title">
      <h1 id="not-found-title">Page not found</h1>
      <p>Nothing is at this address: it may have been mistyped, or what it showed was removed.</p>
      <p className="actions">
        <Link className="button primary" href="/admin/leads">
          Back to Leads
        </Link>
        <Link className="button" href="/admin">
          Dashboard
        </Link>
      </p>
    </section>
  );
}
