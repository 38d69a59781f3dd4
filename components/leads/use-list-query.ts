"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useRef, useState } from "react";

const SEARCH_DELAY_MS = 300;

/**
 * A list's state kept in the URL, under the given keys and nothing else: `query` is the current
 * query string; `update` changes it (any change but the page number starts again at page 1); the
 * search box's `term` follows the URL (back and forward) and is sent to it after a pause in typing.
 */
export function useListQuery<K extends string>(keys: readonly K[]) {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const current = new URLSearchParams();
  for (const key of keys) {
    const value = params.get(key);
    if (value) current.set(key, value);
  }
  const query = current.toString();

  function update(changes: Partial<Record<K, string | null>>, { replace = false } = {}) {
    // From the address bar, not from this render: a debounced search may fire after other changes.
    const next = new URLSearchParams(window.location.search);
    for (const key of [...next.keys()]) if (!(keys as readonly string[]).includes(key)) next.delete(key);
    for (const [key, value] of Object.entries(changes) as [string, string | null | undefined][]) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    if (!("page" in changes)) next.delete("page");
    const url = next.size > 0 ? `${pathname}?${next}` : pathname;
    if (replace) router.replace(url, { scroll: false });
    else router.push(url, { scroll: false });
  }

  // The search box follows the URL, except for the value it just sent itself.
  const urlSearch = params.get("search") ?? "";
  const [term, setTerm] = useState(urlSearch);
  const sent = useRef(urlSearch);
  useEffect(() => {
    if (urlSearch !== sent.current) {
      sent.current = urlSearch;
      setTerm(urlSearch);
    }
  }, [urlSearch]);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  // A search typed just before leaving the page must not pull the visitor back to the list.
  useEffect(() => () => clearTimeout(timer.current), []);
  function search(value: string) {
    setTerm(value);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      sent.current = value.trim();
      update({ search: value.trim() || null } as Partial<Record<K, string | null>>, { replace: true });
    }, SEARCH_DELAY_MS);
  }

  /** Forgets what was typed, for a link that goes back to the unfiltered list (`pathname`). */
  function clearSearch() {
    clearTimeout(timer.current);
    setTerm("");
  }

  /** Drops a search still being typed, for a link to another query (a view), which brings its own. */
  function cancelSearch() {
    clearTimeout(timer.current);
    setTerm(urlSearch);
  }

  return { params, query, update, term, search, clearSearch, cancelSearch, pathname };
}
