/**
 * The auto-reply's default template and the placeholders a template may use, for the form editor
 * (a client component) as for lib/alerts/auto-reply.ts.
 */
export const DEFAULT_REPLY_TEMPLATE = "We got your request, {first_name}. {reply} {call}";

export const PLACEHOLDERS: Record<string, string> = {
  "{first_name}": "the visitor's first name",
  "{business}": "your business's name",
  "{phone}": "your phone number",
  "{hours}": "your business hours (Mon–Fri 8–6)",
  "{reply_within}": "how soon you reply (Settings)",
  "{next_open}": "when you next open (Monday at 8 am)",
  "{reply}": "when they will hear back: within your reply time if you are open, else when you open",
  "{call}": "“Call (612) 555-0100 if it is urgent.”, when your profile has a phone",
};
