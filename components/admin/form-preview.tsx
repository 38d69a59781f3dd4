"use client";

import { useEffect, useState } from "react";
import { fetchJson, RequestFailed } from "./fetch-json";

const WIDTHS = { phone: 390, desktop: 1024 } as const;

/**
 * The form as a visitor would see it with the editor's unsaved changes, drawn by the same
 * renderer as the live page (POST /api/admin/forms/{slug}?preview), at a phone's or a desktop's
 * width. It follows the editor a moment after each change; a change the form cannot take leaves
 * the last good preview and says why.
 */
export function FormPreview({ slug, draft }: { slug: string; draft: unknown }) {
  const [html, setHtml] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [width, setWidth] = useState<keyof typeof WIDTHS>("phone");
  const body = JSON.stringify(draft);
  useEffect(() => {
    let current = true;
    const timer = setTimeout(async () => {
      try {
        const answer = await fetchJson<{ data: { html: string } }>(`/api/admin/forms/${slug}?preview`, {
          method: "POST",
          body: JSON.parse(body),
        });
        if (!current) return;
        setHtml(answer.data.html);
        setProblem(null);
      } catch (error) {
        if (!current) return;
        setProblem(
          error instanceof RequestFailed
            ? (error.body.errors?.map((e) => e.message).join("; ") ?? error.message)
            : "The preview could not be drawn just now.",
        );
      }
    }, 300);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [slug, body]);
  return (
    <section className="card form-preview" aria-labelledby="preview-title">
      <div className="preview-head">
        <h2 id="preview-title">Preview</h2>
        <fieldset className="segmented">
          <legend className="sr-only">Preview width</legend>
          {(Object.keys(WIDTHS) as (keyof typeof WIDTHS)[]).map((name) => (
            <label key={name}>
              <input
                type="radio"
                name="preview-width"
                value={name}
                checked={width === name}
                onChange={() => setWidth(name)}
              />{" "}
              {name === "phone" ? "Phone" : "Desktop"}
            </label>
          ))}
        </fieldset>
      </div>
      {problem ? (
        <p className="form-error" role="status">
          {`Not shown yet: ${problem}`}
        </p>
      ) : null}
      <div className="preview-frame" data-width={width}>
        {html === null ? (
          <p className="muted">Drawing the preview…</p>
        ) : (
          <iframe
            title={`The form at ${width === "phone" ? "a phone's" : "a desktop's"} width`}
            srcDoc={html}
            sandbox=""
            width={WIDTHS[width]}
            height={720}
            data-testid="form-preview"
          />
        )}
      </div>
    </section>
  );
}
