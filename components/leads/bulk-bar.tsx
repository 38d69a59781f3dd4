"use client";

import { useState } from "react";
import type { z } from "zod";
import { fetchJson, RequestFailed } from "@/components/admin/fetch-json";
import type { bulkSchema } from "@/lib/leads/admin";
import type { Stage } from "@/lib/leads/pipeline";
import { StageSelect } from "./stage-select";

type BulkAction = z.input<typeof bulkSchema>["action"];

/**
 * Actions on the selected leads: archive, unarchive, add a tag, set the stage. Once one succeeds,
 * the list clears its selection, which closes this bar; only a failure stays to be read.
 */
export function BulkBar({
  ids,
  stages,
  onDone,
}: {
  ids: string[];
  /** The pipeline, for "Set stage". */
  stages: Stage[];
  onDone: () => Promise<void>;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function run(action: BulkAction, value?: string) {
    setBusy(true);
    setError(null);
    try {
      await fetchJson("/api/admin/leads/bulk", { method: "POST", body: { ids, action, value } });
      await onDone();
    } catch (failed) {
      setError(
        failed instanceof RequestFailed
          ? (Object.values(failed.fields)[0] ?? failed.message)
          : "The change failed.",
      );
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
      <ValueAction
        id="bulk-tag"
        label="Tag to add"
        placeholder="Tag"
        button="Add tag"
        busy={busy}
        onRun={(v) => run("add_tag", v)}
      />
      <ValueAction
        id="bulk-stage"
        label="Stage to set"
        placeholder="Stage"
        button="Set stage"
        busy={busy}
        onRun={(v) => run("set_stage", v)}
        stages={stages}
      />
      <span aria-live="polite" className="form-error">
        {error}
      </span>
    </div>
  );
}

/** A bulk action that takes a value: a tag to add, a stage to set. */
function ValueAction(props: {
  id: string;
  label: string;
  placeholder: string;
  button: string;
  busy: boolean;
  onRun: (value: string) => Promise<void>;
  /** A stage is chosen from the pipeline rather than typed. */
  stages?: Stage[];
}) {
  const [value, setValue] = useState("");
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (value.trim()) void props.onRun(value.trim());
      }}
    >
      <label htmlFor={props.id} className="sr-only">
        {props.label}
      </label>
      {props.stages ? (
        <StageSelect
          id={props.id}
          stages={props.stages}
          empty={props.placeholder}
          value={value}
          onChange={(e) => setValue(e.target.value)}
        />
      ) : (
        <input
          id={props.id}
          placeholder={props.placeholder}
          value={value}
          onChange={(e) => setValue(e.target.value)}
        />
      )}{" "}
      <button type="submit" disabled={props.busy || !value.trim()}>
        {props.button}
      </button>
    </form>
  );
}
