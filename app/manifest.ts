import type { MetadataRoute } from "next";

/**
 * The admin as an app on a phone's home screen (which iOS requires for web push) or a desktop:
 * it opens on the leads, standalone, in the portal's colour.
 */
export default function manifest(): MetadataRoute.Manifest {
  return {
    name: "Leads portal",
    short_name: "Leads",
    description: "New leads as they arrive, and one tap to call them back.",
    start_url: "/admin/leads",
    scope: "/",
    display: "standalone",
    background_color: "#ffffff",
    theme_color: "#0f766e",
    icons: [
      { src: "/icons/icon-192.png", sizes: "192x192", type: "image/png", purpose: "any" },
      { src: "/icons/icon-512.png", sizes: "512x512", type: "image/png", purpose: "any" },
      { src: "/icons/icon-512.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
    ],
  };
}
