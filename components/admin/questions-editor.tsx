"use client";

import { YES_NO } from "@/lib/forms/answer-text";
import { CONDITION_SOURCES, type Question, type QuestionType } from "@/lib/forms/schema";
import { splitList } from "./form-state";

/** A question as the editor holds it: its options typed one per line. */
export interface QuestionDraft {
  key: string;
  type: QuestionType;
  label: string;
  help: string;
  required: boolean;
  choices: string;
  /** The key of the question it depends on, or "" for always shown. */
  whenKey: string;
  /** The answer it waits for, or "" for any answer. */
  whenEquals: string;
  copyTo: string;
  /** Added since the last save: its key follows its label. */
  fresh?: boolean;
}

const TYPE_NAMES: Record<QuestionType, string> = {
  short_text: "Short text",
  long_text: "Long text",
  number: "Number",
  choice: "Choice (one)",
  choices: "Choice (several)",
  yes_no: "Yes / no",
  date: "Date",
};

const COPY_TARGETS: Record<string, string> = {
  "": "Nowhere (kept with the submission)",
  service_type: "Service",
  notes: "Notes",
  follow_up_date: "Follow-up date",
  address_zip: "ZIP code",
};

export function toDraft(q: Question): QuestionDraft {
  return {
    key: q.key,
    type: q.type,
    label: q.label,
    help: q.help ?? "",
    required: q.required,
    choices: q.choices.join("\n"),
    whenKey: q.showWhen?.key ?? "",
    whenEquals: q.showWhen?.equals ?? "",
    copyTo: q.copyTo ?? "",
  };
}

/** The question as the settings keep it. */
export function fromDraft(d: QuestionDraft) {
  const choosing = d.type === "choice" || d.type === "choices";
  return {
    key: d.key,
    type: d.type,
    label: d.label,
    help: d.help.trim() || null,
    required: d.required,
    choices: choosing ? splitList(d.choices, "\n") : [],
    showWhen: d.whenKey ? { key: d.whenKey, equals: d.whenEquals.trim() || null } : null,
    copyTo: d.copyTo || null,
  };
}

/** A key from a label: "How many storeys?" → how_many_storeys, not one already taken. */
function keyFor(label: string, taken: Set<string>): string {
  const base =
    label
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[^a-z0-9]+/g, "_")
      .replace(/^[^a-z]+|_+$/g, "")
      .slice(0, 36) || "question";
  let key = base;
  for (let n = 2; taken.has(key) || key === "preferred_date" || key === "preferred_time"; n++)
    key = `${base}_${n}`;
  return key;
}

/** The answers a question may wait for, when it has a fixed set. */
function answersOf(q: QuestionDraft): string[] | null {
  if (q.type === "yes_no") return ["yes", "no"];
  if (q.type === "choice" || q.type === "choices") return splitList(q.choices, "\n");
  return null;
}

/**
 * The form's own questions: each with its type, label, help, whether required, its options, the
 * question it waits for, and the lead field it fills; added, moved and removed in place.
 */
export function QuestionsEditor({
  questions,
  onChange,
}: {
  questions: QuestionDraft[];
  onChange: (next: QuestionDraft[]) => void;
}) {
  const set = (i: number, change: Partial<QuestionDraft>) =>
    onChange(
      questions.map((q, j) => {
        if (j !== i) return q;
        const next = { ...q, ...change };
        // A new question's key follows its label, unless typed; a saved one's stays, as answers use it.
        if (q.fresh && change.label !== undefined) {
          next.key = keyFor(change.label, new Set(questions.filter((_, k) => k !== i).map((e) => e.key)));
        }
        if (change.key !== undefined) next.fresh = false;
        return next;
      }),
    );
  const move = (i: number, by: -1 | 1) => {
    const next = [...questions];
    [next[i], next[i + by]] = [next[i + by]!, next[i]!];
    // A question may wait only for one above it.
    onChange(
      next.map((q, j) =>
        q.whenKey && !next.slice(0, j).some((e) => e.key === q.whenKey) ? { ...q, whenKey: "" } : q,
      ),
    );
  };
  const add = () => {
    const label = "New question";
    const key = keyFor(label, new Set(questions.map((q) => q.key)));
    onChange([
      ...questions,
      {
        key,
        type: "short_text",
        label,
        help: "",
        required: false,
        choices: "",
        whenKey: "",
        whenEquals: "",
        copyTo: "",
        fresh: true,
      },
    ]);
  };
  return (
    <div className="questions">
      {questions.length === 0 ? (
        <p className="muted">
          No questions of your own yet: add “How many windows?”, “Storeys”, “Gutters too?”…
        </p>
      ) : null}
      <ol className="question-list">
        {questions.map((q, i) => {
          const id = `question-${i}`;
          const earlier = questions.slice(0, i).filter((e) => CONDITION_SOURCES.includes(e.type));
          const leader = questions.find((e) => e.key === q.whenKey);
          const awaited = leader ? answersOf(leader) : null;
          return (
            <li key={i} className="card question" aria-labelledby={`${id}-title`}>
              <h3 id={`${id}-title`} className="question-title">
                {`${i + 1}. ${q.label || "Untitled question"}`}
              </h3>
              <div className="grid-2">
                <div className="field">
                  <label htmlFor={`${id}-label`}>Question</label>
                  <input
                    id={`${id}-label`}
                    value={q.label}
                    onChange={(e) => set(i, { label: e.target.value })}
                  />
                </div>
                <div className="field">
                  <label htmlFor={`${id}-type`}>Answer</label>
                  <select
                    id={`${id}-type`}
                    value={q.type}
                    onChange={(e) => set(i, { type: e.target.value as QuestionType })}
                  >
                    {Object.entries(TYPE_NAMES).map(([value, name]) => (
                      <option key={value} value={value}>
                        {name}
                      </option>
                    ))}
                  </select>
                </div>
                <div className="field">
                  <label htmlFor={`${id}-help`}>Help text</label>
                  <input
                    id={`${id}-help`}
                    value={q.help}
                    onChange={(e) => set(i, { help: e.target.value })}
                  />
                </div>
                <div className="field">
                  <label htmlFor={`${id}-key`}>Key</label>
                  <input
                    id={`${id}-key`}
                    value={q.key}
                    aria-describedby={`${id}-key-hint`}
                    onChange={(e) => set(i, { key: e.target.value })}
                  />
                  <span className="hint" id={`${id}-key-hint`}>
                    {`The answer's name in exports and webhooks; the form sends it as q_${q.key}`}
                  </span>
                </div>
                {q.type === "choice" || q.type === "choices" ? (
                  <div className="field">
                    <label htmlFor={`${id}-choices`}>Options, one per line</label>
                    <textarea
                      id={`${id}-choices`}
                      rows={3}
                      value={q.choices}
                      onChange={(e) => set(i, { choices: e.target.value })}
                    />
                  </div>
                ) : null}
                <div className="field">
                  <label htmlFor={`${id}-when`}>Show</label>
                  <select
                    id={`${id}-when`}
                    value={q.whenKey}
                    onChange={(e) => set(i, { whenKey: e.target.value, whenEquals: "" })}
                  >
                    <option value="">Always</option>
                    {earlier.map((e) => (
                      <option key={e.key} value={e.key}>
                        {`Only when “${e.label}” is answered`}
                      </option>
                    ))}
                  </select>
                </div>
                {q.whenKey ? (
                  <div className="field">
                    <label htmlFor={`${id}-equals`}>With the answer</label>
                    {awaited ? (
                      <select
                        id={`${id}-equals`}
                        value={q.whenEquals}
                        onChange={(e) => set(i, { whenEquals: e.target.value })}
                      >
                        <option value="">Any answer</option>
                        {awaited.map((a) => (
                          <option key={a} value={a}>
                            {leader?.type === "yes_no" ? YES_NO[a as keyof typeof YES_NO] : a}
                          </option>
                        ))}
                      </select>
                    ) : (
                      <input id={`${id}-equals`} value="Any answer" readOnly />
                    )}
                  </div>
                ) : null}
                <div className="field">
                  <label htmlFor={`${id}-copy`}>Also fill the lead’s</label>
                  <select
                    id={`${id}-copy`}
                    value={q.copyTo}
                    onChange={(e) => set(i, { copyTo: e.target.value })}
                  >
                    {Object.entries(COPY_TARGETS).map(([value, name]) => (
                      <option key={value} value={value}>
                        {name}
                      </option>
                    ))}
                  </select>
                </div>
              </div>
              <div className="question-actions">
                <label className="inline-check">
                  <input
                    type="checkbox"
                    checked={q.required}
                    onChange={(e) => set(i, { required: e.target.checked })}
                  />{" "}
                  Required
                </label>
                <button
                  type="button"
                  onClick={() => move(i, -1)}
                  disabled={i === 0}
                  aria-label={`Move “${q.label}” up`}
                >
                  ↑ Up
                </button>
                <button
                  type="button"
                  onClick={() => move(i, 1)}
                  disabled={i === questions.length - 1}
                  aria-label={`Move “${q.label}” down`}
                >
                  ↓ Down
                </button>
                <button
                  type="button"
                  className="danger"
                  aria-label={`Remove “${q.label}”`}
                  onClick={() =>
                    onChange(
                      questions
                        .filter((_, j) => j !== i)
                        .map((e) => (e.whenKey === q.key ? { ...e, whenKey: "", whenEquals: "" } : e)),
                    )
                  }
                >
                  Remove
                </button>
              </div>
            </li>
          );
        })}
      </ol>
      <button type="button" onClick={add}>
        Add a question
      </button>
    </div>
  );
}
