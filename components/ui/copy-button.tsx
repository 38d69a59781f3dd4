"use client";

import { useState } from "react";

/** Puts `text` on the clipboard, and says so on the button once it is there. */
export function CopyButton({ text, label = "Copy" }: { text: string; label?: string }) {
  // The text last copied: a new text to copy shows the label again.
  const [copied, setCopied] = useState<string | null>(null);
  return (
    <button
      type="button"
      onClick={() =>
        navigator.clipboard?.writeText(text).then(
          () => setCopied(text),
          () => setCopied(null),
        )
      }
    >
      {copied === text ? "Copied" : label}
    </button>
  );
}
