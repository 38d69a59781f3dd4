/** Text placed into HTML, as text or inside a quoted attribute. */
function escapeHtml(value: string): string {
  return value
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/**
 * The HTML a business pastes into its website to show a form: the loader, and a link for browsers
 * without JavaScript. Everything it carries is escaped: a form's title is whatever staff typed, and
 * the snippet runs on the business's own site.
 */
export function embedSnippet(portal: string, slug: string, title: string): string {
  const [origin, form] = [escapeHtml(portal), escapeHtml(slug)];
  return `<script src="${origin}/embed.js" data-form="${form}" async></script>\n<noscript><a href="${origin}/f/${form}">${escapeHtml(title)}</a></noscript>`;
}
