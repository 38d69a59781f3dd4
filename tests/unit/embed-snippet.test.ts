import { describe, expect, it } from "vitest";
import { embedSnippet } from "@/lib/forms/embed-snippet";

describe("the embed snippet", () => {
  it("escapes everything it carries, the form's title above all", () => {
    const snippet = embedSnippet(
      "https://leads.example.com",
      "quote",
      `Free quote</a><img src=x onerror="alert(1)"> & 'more'`,
    );
    expect(snippet).toBe(
      `<script src="https://leads.example.com/embed.js" data-form="quote" async></script>\n` +
        `<noscript><a href="https://leads.example.com/f/quote">Free quote&lt;/a&gt;&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &#39;more&#39;</a></noscript>`,
    );
  });

  it("keeps a quote in the portal's address or the slug from leaving its attribute", () => {
    const snippet = embedSnippet(`https://x.example" onload="alert(1)`, `a"b`, "Quote");
    expect(snippet).not.toContain(`" onload="`);
    expect(snippet).toContain(`data-form="a&quot;b"`);
  });
});
