import type { ReactNode } from "react";
import { DAY_PARTS, PREFERRED_DATE, PREFERRED_TIME, questionName, sentValues, YES_NO } from "./answers";
import type { FormSettings, Question } from "./schema";

/**
 * The form's own questions and its preferred time, as static HTML. A question shown only when
 * another has an answer is hidden by the page's style (`:has()`), so conditions work without any
 * script; each such question also says when it applies, for a browser that shows it anyway.
 */

/** A question's wrapper id, which its condition's style rule hides. */
const wrapperId = (key: string) => `w-${questionName(key)}`;

/** A text as a CSS string: quotes, backslashes, line breaks and angle brackets escaped. */
function cssString(text: string): string {
  return `"${text.replace(/[\\"<>\n\r]/g, (c) => `\\${c.charCodeAt(0).toString(16)} `)}"`;
}

/** The selector that matches when a question's answer meets a condition. */
function answeredSelector(source: Question, equals: string | null): string {
  const name = `[name=${cssString(questionName(source.key))}]`;
  if (equals === null) {
    if (source.type === "choice" || source.type === "choices" || source.type === "yes_no") {
      return `${name}:checked,${name} option:checked:not([value=""])`;
    }
    return `${name}:not(:placeholder-shown)`;
  }
  const value =
    source.type === "yes_no"
      ? equals.toLowerCase()
      : (source.choices.find((c) => c.toLowerCase() === equals.toLowerCase()) ?? equals);
  return `${name}[value=${cssString(value)}]:checked,${name} option[value=${cssString(value)}]:checked`;
}

/**
 * The style rules that hide each conditional question while its condition (or the condition of a
 * question it depends on) is unmet.
 */
export function conditionCss(settings: FormSettings): string {
  const byKey = new Map(settings.questions.map((q) => [q.key, q]));
  const rules: string[] = [];
  for (const question of settings.questions) {
    let current: Question | undefined = question;
    while (current?.showWhen) {
      const source = byKey.get(current.showWhen.key);
      if (!source) break;
      rules.push(
        `form:not(:has(${answeredSelector(source, current.showWhen.equals)})) #${wrapperId(question.key)}{display:none}`,
      );
      current = source;
    }
  }
  return rules.join("\n");
}

/** "Only if you answered Yes to “Gutters too?”": what a conditional question says of itself. */
function conditionHint(question: Question, byKey: Map<string, Question>): string | null {
  const when = question.showWhen;
  const source = when && byKey.get(when.key);
  if (!when || !source) return null;
  if (when.equals === null) return `Only if you answered “${source.label}”`;
  const shown =
    source.type === "yes_no"
      ? (YES_NO[when.equals.toLowerCase() as "yes" | "no"] ?? when.equals)
      : when.equals;
  return `Only if you answered ${shown} to “${source.label}”`;
}

interface Described {
  id: string;
  error?: string;
  /** Ids of the texts that describe the control: its help, its condition, its error. */
  describedBy: string[];
}

function describedProps({ id, error, describedBy }: Described) {
  const ids = [...describedBy, ...(error ? [`${id}-error`] : [])];
  return {
    "aria-invalid": error ? true : undefined,
    "aria-describedby": ids.length > 0 ? ids.join(" ") : undefined,
  };
}

function Optional({ required }: { required: boolean }) {
  if (required) return null;
  return (
    <>
      {" "}
      <span className="opt">(optional)</span>
    </>
  );
}

function ErrorLine({ id, error }: { id: string; error?: string }) {
  if (!error) return null;
  return (
    <p className="error" id={`${id}-error`}>
      {error}
    </p>
  );
}

/** Radio buttons or checkboxes under one legend. */
function Options({
  name,
  many,
  label,
  required,
  options,
  chosen,
  described,
  notes,
}: {
  name: string;
  many: boolean;
  label: string;
  required: boolean;
  options: [value: string, label: string][];
  chosen: string[];
  described: Described;
  notes: ReactNode;
}) {
  return (
    <fieldset
      className="field"
      id={described.id}
      tabIndex={-1}
      role={many ? "group" : "radiogroup"}
      aria-required={required || undefined}
      {...describedProps(described)}
    >
      <legend>
        {label}
        <Optional required={required} />
      </legend>
      {notes}
      <div className="opts">
        {options.map(([value, text]) => (
          <label key={value} className="check">
            <input
              type={many ? "checkbox" : "radio"}
              name={name}
              value={value}
              defaultChecked={chosen.some((c) => c.toLowerCase() === value.toLowerCase())}
            />
            <span>{text}</span>
          </label>
        ))}
      </div>
      <ErrorLine id={described.id} error={described.error} />
    </fieldset>
  );
}

function QuestionField({
  question,
  raw,
  error,
  byKey,
}: {
  question: Question;
  raw: Record<string, unknown>;
  error?: string;
  byKey: Map<string, Question>;
}) {
  const name = questionName(question.key);
  const id = `f-${name}`;
  const hint = conditionHint(question, byKey);
  const sent = sentValues(raw, name);
  const describedBy = [...(question.help ? [`${id}-help`] : []), ...(hint ? [`${id}-when`] : [])];
  const described: Described = { id, error, describedBy };
  const notes = (
    <>
      {hint && (
        <p className="hint" id={`${id}-when`}>
          {hint}
        </p>
      )}
      {question.help && (
        <p className="hint" id={`${id}-help`}>
          {question.help}
        </p>
      )}
    </>
  );
  let body: ReactNode;
  if (question.type === "choice" || question.type === "choices" || question.type === "yes_no") {
    const options: [string, string][] =
      question.type === "yes_no" ? Object.entries(YES_NO) : question.choices.map((c) => [c, c]);
    body = (
      <Options
        name={name}
        many={question.type === "choices"}
        label={question.label}
        required={question.required}
        options={options}
        chosen={sent}
        described={described}
        notes={notes}
      />
    );
  } else {
    const common = {
      id,
      name,
      defaultValue: sent[0] ?? "",
      "aria-required": question.required || undefined,
      // A space: what lets the page's style tell an answered field from an empty one.
      placeholder: question.type === "date" ? undefined : " ",
      ...describedProps(described),
    };
    const control =
      question.type === "long_text" ? (
        <textarea {...common} maxLength={5000} />
      ) : (
        <input
          {...common}
          type={question.type === "date" ? "date" : "text"}
          inputMode={question.type === "number" ? "decimal" : undefined}
          maxLength={question.type === "short_text" ? 500 : undefined}
        />
      );
    body = (
      <div className="field">
        <label htmlFor={id}>
          {question.label}
          <Optional required={question.required} />
        </label>
        {notes}
        {control}
        <ErrorLine id={id} error={error} />
      </div>
    );
  }
  return question.showWhen ? <div id={wrapperId(question.key)}>{body}</div> : body;
}

/** The form's questions, in their order, each with what was sent for it and any message. */
export function Questions({
  settings,
  raw,
  errorOf,
}: {
  settings: FormSettings;
  raw: Record<string, unknown>;
  errorOf: (name: string) => string | undefined;
}) {
  const byKey = new Map(settings.questions.map((q) => [q.key, q]));
  return (
    <>
      {settings.questions.map((question) => (
        <QuestionField
          key={question.key}
          question={question}
          raw={raw}
          error={errorOf(questionName(question.key))}
          byKey={byKey}
        />
      ))}
    </>
  );
}

/** A preferred date, and morning, afternoon or evening. */
export function PreferredTime({
  raw,
  errorOf,
}: {
  raw: Record<string, unknown>;
  errorOf: (name: string) => string | undefined;
}) {
  const dateId = `f-${PREFERRED_DATE}`;
  const dateError = errorOf(PREFERRED_DATE);
  const [part] = sentValues(raw, PREFERRED_TIME);
  return (
    <>
      <div className="field">
        <label htmlFor={dateId}>
          Preferred date <span className="opt">(optional)</span>
        </label>
        <input
          id={dateId}
          name={PREFERRED_DATE}
          type="date"
          defaultValue={sentValues(raw, PREFERRED_DATE)[0] ?? ""}
          {...describedProps({ id: dateId, error: dateError, describedBy: [] })}
        />
        <ErrorLine id={dateId} error={dateError} />
      </div>
      <Options
        name={PREFERRED_TIME}
        many={false}
        label="Preferred time"
        required={false}
        options={Object.entries(DAY_PARTS)}
        chosen={part ? [part] : []}
        described={{ id: `f-${PREFERRED_TIME}`, error: errorOf(PREFERRED_TIME), describedBy: [] }}
        notes={null}
      />
    </>
  );
}
