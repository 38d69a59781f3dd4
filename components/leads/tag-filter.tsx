"use client";

import { useState } from "react";

/** Tags to filter by, comma-separated, applied on Enter or when the box loses focus. */
export function TagFilter({ value, onChange }: { value: string; onChange: (tags: string) => void }) {
  const [text, setText] = useState(value);
  const [shown, setShown] = useState(value);
  if (value !== shown) {
    setShown(value);
    setText(value);
  }
  const apply = () => {
    if (text.trim() !== value) onChange(text.trim());
  };
  return (
    <div className="field">
      <label htmlFor="tags">Tags (any of)</label>
      <input
        id="tags"
        value={text}
        placeholder="e.g. roof, vip"
        onChange={(e) => setText(e.target.value)}
        onBlur={apply}
        onKeyDown={(e) => {
          if (e.key === "Enter") apply();
        }}
      />
    </div>
  );
}
