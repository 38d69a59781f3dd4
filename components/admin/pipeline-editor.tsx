"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import type { Stage } from "@/lib/leads/pipeline";
import { fetchJson } from "./fetch-json";
import { failure, FormStatus } from "./form-state";
import "./pipeline.css";

type Row = { key: string; id?: string; name: string; kind: Stage["kind"] };
type Retired = { id: string; name: string; moveTo: string };

const KINDS: [Stage["kind"], string][] = [
  ["open", "Open"],
  ["won", "Won"],
  ["lost", "Lost"],
];

/**
 * The pipeline's stages in order: rename, reorder, mark open, won or lost, add, and retire one with
 * its leads moved to another. New leads start in the first open stage.
 */
export function PipelineEditor({ stages }: { stages: Stage[] }) {
  const router = useRouter();
  const [rows, setRows] = useState<Row[]>(() => stages.map((s) => ({ key: s.id, ...s })));
  const [retired, setRetired] = useState<Retired[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const change = (key: string, patch: Partial<Row>) =>
    setRows((current) => current.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const move = (index: number, by: number) =>
    setRows((current) => {
      const next = [...current];
      const [row] = next.splice(index, 1);
      next.splice(index + by, 0, row!);
      return next;
    });
  const retire = (row: Row) => {
    setRows((current) => current.filter((r) => r.key !== row.key));
    const target =
      rows.find((r) => r.key !== row.key && r.kind === "open") ?? rows.find((r) => r.key !== row.key);
    if (row.id)
      setRetired((current) => [...current, { id: row.id!, name: row.name, moveTo: target?.name ?? "" }]);
  };

  async function save() {
    setBusy(true);
    try {
      const answer = await fetchJson<{ data: Stage[]; moved: number }>("/api/admin/settings", {
        method: "PUT",
        body: {
          stages: rows.map(({ id, name, kind }) => ({ ...(id ? { id } : {}), name, kind })),
          retire: retired.map(({ id, moveTo }) => ({ id, moveTo })),
        },
      });
      setRows(answer.data.map((s) => ({ key: s.id, ...s })));
      setRetired([]);
      setErrors({});
      setStatus(
        `Saved.${answer.moved > 0 ? ` ${answer.moved} lead${answer.moved === 1 ? "" : "s"} moved to ${answer.moved === 1 ? "its" : "their"} new stage.` : ""}`,
      );
      router.refresh();
    } catch (error) {
      const failed = failure(error, "The pipeline could not be saved. Check the connection and try again.");
      setErrors(failed.fields);
      setStatus(Object.values(failed.fields)[0] ?? failed.status);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      noValidate
      aria-labelledby="pipeline-title"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h2 id="pipeline-title">Pipeline</h2>
      <p className="muted">
        The stages a lead goes through, in order. New leads start in the first open stage; won and lost stages
        are closed, and leave the board and the open counts.
      </p>
      <FormStatus status={status} failed={Object.keys(errors).length > 0} />
      <ol className="pipeline">
        {rows.map((row, i) => (
          <li key={row.key}>
            <label className="sr-only" htmlFor={`stage-${row.key}`}>
              Stage {i + 1} name
            </label>
            <input
              id={`stage-${row.key}`}
              value={row.name}
              aria-invalid={Boolean(errors[`stages.${i}.name`])}
              onChange={(e) => change(row.key, { name: e.target.value })}
            />
            <label className="sr-only" htmlFor={`kind-${row.key}`}>
              {row.name || `Stage ${i + 1}`}: open, won or lost
            </label>
            <select
              id={`kind-${row.key}`}
              value={row.kind}
              onChange={(e) => change(row.key, { kind: e.target.value as Stage["kind"] })}
            >
              {KINDS.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
            <button type="button" disabled={i === 0} onClick={() => move(i, -1)}>
              Up<span className="sr-only">: {row.name}</span>
            </button>
            <button type="button" disabled={i === rows.length - 1} onClick={() => move(i, 1)}>
              Down<span className="sr-only">: {row.name}</span>
            </button>
            <button type="button" disabled={rows.length === 1} onClick={() => retire(row)}>
              Retire<span className="sr-only">: {row.name}</span>
            </button>
            {errors[`stages.${i}.name`] ? <span className="error">{errors[`stages.${i}.name`]}</span> : null}
          </li>
        ))}
      </ol>
      <p>
        <button
          type="button"
          onClick={() =>
            setRows((current) => [...current, { key: `new-${Date.now()}`, name: "", kind: "open" }])
          }
        >
          Add a stage
        </button>
      </p>
      {retired.map((r, i) => (
        <p key={r.id} className="field">
          <label htmlFor={`move-${r.id}`}>Leads in “{r.name}” move to</label>
          <select
            id={`move-${r.id}`}
            value={r.moveTo}
            onChange={(e) =>
              setRetired((current) =>
                current.map((x) => (x.id === r.id ? { ...x, moveTo: e.target.value } : x)),
              )
            }
          >
            {rows
              .filter((row) => row.name.trim())
              .map((row) => (
                <option key={row.key} value={row.name}>
                  {row.name}
                </option>
              ))}
          </select>
          <button
            type="button"
            onClick={() => {
              setRetired((current) => current.filter((x) => x.id !== r.id));
              const back = stages.find((s) => s.id === r.id);
              if (back) setRows((current) => [...current, { key: back.id, ...back, name: r.name }]);
            }}
          >
            Keep “{r.name}”
          </button>
          {errors[`retire.${i}.moveTo`] ? (
            <span className="error">{errors[`retire.${i}.moveTo`]}</span>
          ) : null}
        </p>
      ))}
      <button type="submit" className="primary" disabled={busy}>
        {busy ? "Saving…" : "Save the pipeline"}
      </button>
    </form>
  );
}
