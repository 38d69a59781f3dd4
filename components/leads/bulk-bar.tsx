"use client";

import { useState } from "react";
import { fetchJson, RequestFailed } from "@/components/admin/fetch-json";

/** Actions on the selected leads: archive, unarchive, add a tag, set the stage. */
export function BulkBar({ ids, onDone }: { ids: string[]; onDone: () => Promise<void> }) {
  const [tag, setTag] = useState("");
  const [stage, setStage] = useState("");
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);

  async function run(action: string, value?: string) {
    setBusy(true);
    setMessage(null);
    try {
      const { updated } = await fetchJson<{ updated: number }>("/api/admin/leads/bulk", {
        method: "POST",
        body: { ids, action, value },
      });
      setMessage(`${updated} ${updated === 1 ? "lead" : "leads"} updated.`);
      setTag("");
      setStage("");
      await onDone();
    } catch (error) {
      setMessage(
        error instanceof RequestFailed
          ? (Object.values(error.fields)[0] ?? error.message)
          : "The change failed.",
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="bulk" role="region" aria-label="Selected leads">
      <strong>{ids.length} selected</strong>
      <button type="button" disabled={busy} onClick={() => run("archive")}>
        Archive
      </button>
      <button type="button" disabled={busy} onClick={() => run("unarchive")}>
        Unarchive
      </button>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (tag.trim()) void run("add_tag", tag.trim());
        }}
      >
        <label htmlFor="bulk-tag" className="sr-only">
          Tag to add
        </label>
        <input id="bulk-tag" placeholder="Tag" value={tag} onChange={(e) => setTag(e.target.value)} />{" "}
        <button type="submit" disabled={busy || !tag.trim()}>
          Add tag
        </button>
      </form>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (stage.trim()) void run("set_stage", stage.trim());
        }}
      >
        <label htmlFor="bulk-stage" className="sr-only">
          Stage to set
        </label>
        <input id="bulk-stage" placeholder="Stage" value={stage} onChange={(e) => setStage(e.target.value)} />{" "}
        <button type="submit" disabled={busy || !stage.trim()}>
          Set stage
        </button>
      </form>
      <span aria-live="polite">{message}</span>
    </div>
  );
}
