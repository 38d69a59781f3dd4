import type { HistoryKind } from "@/lib/db/schema";

/** Who makes a write, as the lead's history records it. */
export type Actor =
  /** An API key (null where the caller is not known: a script of this portal's). */
  | { kind: "api"; keyId: string | null }
  /** A member of staff in the admin, by id, with the name shown at the time. */
  | { kind: "staff"; userId: string; name: string }
  /** A visitor's form submission. */
  | { kind: "submission" };

/** The actor as lead_upsert reads it ({kind, key, user, name}). */
export function actorJson(actor: Actor): Record<string, string> & { kind: HistoryKind } {
  switch (actor.kind) {
    case "api":
      return actor.keyId ? { kind: "api", key: actor.keyId } : { kind: "api" };
    case "staff":
      return { kind: "staff", user: actor.userId, name: actor.name };
    case "submission":
      return { kind: "submission" };
  }
}

/** A signed-in user as the actor of their edits. */
export function staffActor(user: { id: string; name: string | null; email: string }): Actor {
  return { kind: "staff", userId: user.id, name: user.name || user.email };
}
