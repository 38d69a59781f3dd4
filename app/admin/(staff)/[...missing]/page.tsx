import { notFound } from "next/navigation";
import { adminPage } from "@/lib/auth/admin-page";

/**
 * Next.js shows a segment's not-found.tsx only for notFound() thrown below it; an unmatched URL
 * would get the app's bare 404. This catch-all turns every other /admin address into the staff
 * 404, in the admin frame, and only for a signed-in user (anyone else is sent to sign in).
 */
export default adminPage({}, async () => notFound());
