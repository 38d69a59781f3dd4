/**
 * The contact form every new installation starts with, as its row is stored. It lives here, on
 * the ground floor, because the database creates it on first start; lib/forms/schema.ts reads it
 * through the form settings' schema, and a test holds that the schema leaves it as it is.
 */
export const DEFAULT_FORM = {
  slug: "contact",
  title: "Contact us",
  intro: "Tell us what you need and how to reach you. We reply within one business day.",
  settings: {
    fields: [
      { name: "name", label: "Name", required: true },
      { name: "phone", label: "Phone", required: false },
      { name: "email", label: "Email", required: false },
      { name: "address_street1", label: "Street address", required: false },
      { name: "address_city", label: "City", required: false },
      { name: "address_zip", label: "ZIP code", required: false },
      { name: "notes", label: "How can we help?", required: false },
    ],
    questions: [],
    preferredTime: false,
    serviceArea: null,
    photos: null,
    oneOf: ["phone", "email"],
    consent: null,
  },
  defaultSource: "website",
  defaultStage: "new",
  defaultTags: ["website"],
  thankYouMessage: "Thank you! We received your request and will be in touch soon.",
};
