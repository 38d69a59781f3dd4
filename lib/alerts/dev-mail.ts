import { and, desc, eq } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { outbox } from "@/lib/db/schema";
import type { MailMessage } from "./mail";
import { mailTransport } from "./mail";

/**
 * On a developer's machine with no email set up, the emails the portal would send, as the admin's
 * Mail page shows them: the outbox keeps each one (it is the message's own record), so nothing
 * else stores them. Elsewhere there is no such page.
 */
export function devMailboxOn(): boolean {
  return mailTransport() === "dev";
}

export interface DevMail {
  id: number;
  at: Date;
  status: string;
  purpose: string;
  message: MailMessage;
}

export async function devMailbox(companyId: string, limit = 50): Promise<DevMail[]> {
  const db = await getDb();
  const rows = await db
    .select()
    .from(outbox)
    .where(and(eq(outbox.companyId, companyId), eq(outbox.kind, "email")))
    .orderBy(desc(outbox.id))
    .limit(limit);
  return rows.map((row) => {
    const payload = row.payload as { purpose?: string; message: MailMessage };
    return {
      id: row.id,
      at: row.createdAt,
      status: row.status,
      purpose: payload.purpose ?? "alert",
      message: payload.message,
    };
  });
}
