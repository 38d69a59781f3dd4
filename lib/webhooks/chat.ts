import type { WebhookFormat } from "@/lib/db/schema";
import { formatPhone, telHref } from "@/lib/leads/phone";
import type { ApiLead } from "@/lib/leads/schema";

/**
 * A new lead as a chat message, for an endpoint that is a chat app's incoming webhook (Slack,
 * Discord, Microsoft Teams) instead of a program: readable text with the same few facts as an
 * alert (name, service, message, town, a call link, the lead's page), in each app's own body.
 */

interface ChatFacts {
  title: string;
  detail: string;
  message: string | null;
  phone: string | null;
  call: string | null;
  url: string;
}

/**
 * What a visitor typed, unable to become a link: chat apps make any web address a link, and Teams
 * reads `[text](address)` as one, so a zero-width space breaks each (the text reads the same).
 */
export function defang(text: string): string {
  return text
    .replace(/:\/\//g, ":\u200B//")
    .replace(/\bwww\./gi, (www) => `${www.slice(0, 3)}\u200B.`)
    .replace(/\]\(/g, "]\u200B(");
}

function factsOf(lead: ApiLead, business: string, origin: string): ChatFacts {
  return {
    title: `New lead for ${business}: ${defang(lead.name ?? "someone")}`,
    detail: defang([lead.service_type, lead.address_city].filter(Boolean).join(" · ")),
    message: lead.notes ? defang(lead.notes.replace(/\s+/g, " ").trim().slice(0, 500)) : null,
    phone: lead.phone ? formatPhone(lead.phone) : null,
    call: lead.phone ? telHref(lead.phone) : null,
    url: `${origin}/admin/leads/${lead.id}`,
  };
}

/**
 * A visitor's text in a message: Slack reads `<...>` as a link and `&` as an entity, so those three
 * are escaped as Slack asks (no visitor can plant a link); Discord's markdown characters and its
 * mentions are escaped with a backslash.
 */
const plain = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const plainDiscord = (text: string) => text.replace(/([\\*_~`|>#@[\]()])/g, "\\$1");

export function chatBody(
  format: Exclude<WebhookFormat, "json">,
  lead: ApiLead,
  business: string,
  origin: string,
): string {
  const f = factsOf(lead, business, origin);
  switch (format) {
    case "slack": {
      const lines = [
        `*${plain(f.title)}*`,
        f.detail ? plain(f.detail) : null,
        f.message ? `> ${plain(f.message)}` : null,
        [f.phone ? `Call ${plain(f.phone)}` : null, `<${f.url}|Open the lead>`].filter(Boolean).join(" · "),
      ].filter(Boolean);
      return JSON.stringify({ text: lines.join("\n") });
    }
    case "discord": {
      const lines = [
        `**${plainDiscord(f.title)}**`,
        f.detail ? plainDiscord(f.detail) : null,
        f.message ? `> ${plainDiscord(f.message)}` : null,
        [f.phone ? `Call ${f.phone}` : null, `[Open the lead](<${f.url}>)`].filter(Boolean).join(" · "),
      ].filter(Boolean);
      // Mentions a visitor typed (@everyone) stay text.
      return JSON.stringify({ content: lines.join("\n"), allowed_mentions: { parse: [] } });
    }
    case "teams":
      return JSON.stringify({
        type: "message",
        attachments: [
          {
            contentType: "application/vnd.microsoft.card.adaptive",
            content: {
              type: "AdaptiveCard",
              $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
              version: "1.4",
              body: [
                { type: "TextBlock", text: f.title, weight: "Bolder", size: "Medium", wrap: true },
                ...(f.detail ? [{ type: "TextBlock", text: f.detail, wrap: true, isSubtle: true }] : []),
                ...(f.message ? [{ type: "TextBlock", text: f.message, wrap: true }] : []),
                ...(f.phone ? [{ type: "TextBlock", text: `Phone: ${f.phone}`, wrap: true }] : []),
              ],
              actions: [
                { type: "Action.OpenUrl", title: "Open the lead", url: f.url },
                ...(f.call ? [{ type: "Action.OpenUrl", title: "Call", url: f.call }] : []),
              ],
            },
          },
        ],
      });
  }
}
