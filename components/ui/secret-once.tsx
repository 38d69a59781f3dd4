"use client";

import type { ReactNode } from "react";
import { CopyButton } from "./copy-button";

/**
 * A secret just created, shown this once: the admin never shows it again, so it is copied now.
 * Done forgets it.
 */
export function SecretOnce({
  title,
  children,
  secret,
  testId,
  onDone,
}: {
  title: string;
  /** What to do with it, after the title. */
  children: ReactNode;
  secret: string;
  testId: string;
  onDone: () => void;
}) {
  return (
    <div className="card" role="status" style={{ marginBottom: "1rem" }}>
      <p>
        <strong>{title}</strong> {children}
      </p>
      <pre className="snippet" data-testid={testId}>
        {secret}
      </pre>
      <CopyButton text={secret} />{" "}
      <button type="button" onClick={onDone}>
        Done
      </button>
    </div>
  );
}
