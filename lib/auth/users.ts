import { and, asc, count, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { now, nowMs } from "@/lib/clock";
import { getDb } from "@/lib/db/client";
import { DomainError, fail } from "@/lib/errors";
import { type Role, ROLES, type UserRow, users } from "@/lib/db/schema";
import { hashPassword, passwordProblem, verifyPassword } from "./passwords";

/** A user as admins see it. */
export interface StaffUser {
  id: string;
  companyId: string;
  email: string;
  name: string | null;
  role: Role;
  passwordChangedAt: Date | null;
}

/** The user behind a session. */
export interface SessionUser {
  id: string;
  companyId: string;
  email: string;
  name: string | null;
  role: Role;
  /** Sessions that began under another version have ended (lib/auth/session.ts). */
  sessionVersion: number;
}

export const userInputSchema = z.object({
  email: z
    .string({ error: "Must be a string" })
    .trim()
    .toLowerCase()
    .max(320, { error: "Must be at most 320 characters" })
    .refine((v) => z.regexes.email.test(v), { error: "Invalid email format" }),
  name: z
    .string({ error: "Must be a string" })
    .trim()
    .max(200, { error: "Must be at most 200 characters" })
    .transform((v) => (v === "" ? null : v))
    .nullable()
    .optional(),
  password: z.string({ error: "Must be a string" }).superRefine((v, ctx) => {
    const problem = passwordProblem(v);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  }),
  role: z.enum(ROLES, { error: "Must be admin or member" }),
});
export type UserInput = z.output<typeof userInputSchema>;

/**
 * The email is taken. Addresses are unique across companies (people sign in with theirs alone),
 * so it may be taken by a user this admin cannot see: the field's message names no one. The
 * command line, run by the operator, says plainly what happened.
 */
export class DuplicateEmailError extends DomainError {
  override name = "DuplicateEmailError";
  constructor() {
    super("validation", "A user with this email already exists", [
      { field: "email", message: "This email address cannot be used for a new user" },
    ]);
  }
}

const identityColumns = {
  id: users.id,
  companyId: users.companyId,
  email: users.email,
  name: users.name,
  role: users.role,
};
const staffColumns = { ...identityColumns, passwordChangedAt: users.passwordChangedAt };
const sessionColumns = { ...identityColumns, sessionVersion: users.sessionVersion };

/** Ends every session of the user that began before (lib/auth/session.ts compares versions). */
const nextSessionVersion = sql`${users.sessionVersion} + 1`;

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code ?? (error as { cause?: { code?: unknown } })?.cause?.code;
  return code === "23505";
}

export async function createUser(companyId: string, input: UserInput): Promise<StaffUser> {
  const db = await getDb();
  try {
    const [row] = await db
      .insert(users)
      .values({
        companyId,
        email: input.email,
        name: input.name ?? null,
        passwordHash: await hashPassword(input.password),
        role: input.role,
        createdAt: now(),
      })
      .returning(staffColumns);
    return row!;
  } catch (error) {
    if (isUniqueViolation(error)) throw new DuplicateEmailError();
    throw error;
  }
}

/**
 * The first admin, created only while no user exists at all. The table lock makes two setup
 * requests at once create one admin, not two; null when someone was first.
 */
export async function createFirstAdmin(companyId: string, input: UserInput): Promise<StaffUser | null> {
  const db = await getDb();
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    await tx.execute(sql`lock table ${users} in share row exclusive mode`);
    const [{ n } = { n: 0 }] = await tx.select({ n: count() }).from(users);
    if (n > 0) return null;
    const [row] = await tx
      .insert(users)
      .values({
        companyId,
        email: input.email,
        name: input.name ?? null,
        passwordHash,
        role: "admin",
        createdAt: now(),
      })
      .returning(staffColumns);
    return row!;
  });
}

export async function hasUsers(): Promise<boolean> {
  const db = await getDb();
  const [row] = await db.select({ id: users.id }).from(users).limit(1);
  return row !== undefined;
}

export async function findUserByEmail(email: string): Promise<UserRow | undefined> {
  const db = await getDb();
  const [row] = await db.select().from(users).where(eq(users.email, email.trim().toLowerCase())).limit(1);
  return row;
}

/**
 * Signed-in users are read on every admin request, so each process keeps them a few seconds: a
 * change made in this process applies at once, one made by another instance within USER_CACHE_MS
 * (as forms do, lib/forms/repository.ts). Kept on globalThis: Next.js bundles route handlers and pages
 * apart, each with its own copy of this module, and a password changed through a route must end
 * the session in the pages too.
 */
const USER_CACHE_MS = 5_000;
const holder = globalThis as typeof globalThis & {
  __leadPortalSessionUsers?: Map<string, { user: SessionUser | undefined; until: number }>;
};
const recentUsers = (holder.__leadPortalSessionUsers ??= new Map());

/**
 * The user behind a session that began under the given version, or undefined when the user is
 * gone or the version has moved on (the session has ended). Versions only grow, so a session newer
 * than the kept user began after a change made on another instance (a sign-in after a new password
 * there): the user is read again rather than the session refused.
 */
export async function getSessionUser(id: string, sessionVersion: number): Promise<SessionUser | undefined> {
  if (!z.guid().safeParse(id).success) return undefined;
  const kept = recentUsers.get(id);
  const fresh = kept && kept.until > nowMs() && !(kept.user && kept.user.sessionVersion < sessionVersion);
  let user = fresh ? kept.user : undefined;
  if (!fresh) {
    const db = await getDb();
    [user] = await db.select(sessionColumns).from(users).where(eq(users.id, id)).limit(1);
    if (recentUsers.size >= 10_000) recentUsers.clear();
    recentUsers.set(id, { user, until: nowMs() + USER_CACHE_MS });
  }
  return user?.sessionVersion === sessionVersion ? user : undefined;
}

export const passwordChangeSchema = z.object({
  current: z.string({ error: "Must be a string" }).max(200),
  password: z.string({ error: "Must be a string" }).superRefine((v, ctx) => {
    const problem = passwordProblem(v);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  }),
});

/**
 * Changes a user's password once the current one is given, and ends every session begun before
 * (lib/auth/session.ts compares versions). The new session version, or null when the current
 * password is wrong.
 */
export async function changePassword(
  id: string,
  input: z.output<typeof passwordChangeSchema>,
): Promise<number | null> {
  const db = await getDb();
  const [row] = await db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, id));
  if (!row || !(await verifyPassword(input.current, row.hash))) return null;
  const [changed] = await db
    .update(users)
    .set({
      passwordHash: await hashPassword(input.password),
      passwordChangedAt: now(),
      sessionVersion: nextSessionVersion,
    })
    .where(eq(users.id, id))
    .returning({ sessionVersion: users.sessionVersion });
  recentUsers.delete(id);
  return changed?.sessionVersion ?? null;
}

/** Records a sign-in; the user's session version, or undefined when the user is gone. */
export async function noteSignIn(id: string): Promise<number | undefined> {
  const db = await getDb();
  const [row] = await db
    .update(users)
    .set({ lastSignInAt: now() })
    .where(eq(users.id, id))
    .returning({ sessionVersion: users.sessionVersion });
  return row?.sessionVersion;
}

export async function listUsers(companyId: string) {
  const db = await getDb();
  return db
    .select({ ...staffColumns, createdAt: users.createdAt, lastSignInAt: users.lastSignInAt })
    .from(users)
    .where(eq(users.companyId, companyId))
    .orderBy(asc(users.email));
}

/** Removes a user of the company. The last admin cannot be removed. */
export async function deleteUser(companyId: string, id: string): Promise<void> {
  if (!z.guid().safeParse(id).success) throw fail.notFound();
  const db = await getDb();
  await db.transaction(async (tx) => {
    await tx.execute(sql`lock table ${users} in share row exclusive mode`);
    const [target] = await tx
      .select({ role: users.role })
      .from(users)
      .where(and(eq(users.id, id), eq(users.companyId, companyId)));
    if (!target) throw fail.notFound();
    if (target.role === "admin") {
      const [{ n } = { n: 0 }] = await tx
        .select({ n: count() })
        .from(users)
        .where(and(eq(users.companyId, companyId), eq(users.role, "admin")));
      if (n <= 1) throw fail.conflict("The last admin cannot be removed");
    }
    await tx.delete(users).where(eq(users.id, id));
  });
  // After the commit: a request reading the user before it would otherwise keep the old row.
  recentUsers.delete(id);
}

/** What an admin may change of another user: the role, and a new password when theirs is lost. */
export const userUpdateSchema = z.object({
  role: z.enum(ROLES, { error: "Must be admin or member" }).optional(),
  password: userInputSchema.shape.password.optional(),
});

/**
 * Changes a user of the company. A new password or another role ends the user's sessions: whoever
 * holds one signs in again, with the new password, into the new role. The last admin cannot become
 * a member.
 */
export async function updateUser(
  companyId: string,
  id: string,
  input: z.output<typeof userUpdateSchema>,
): Promise<void> {
  if (!z.guid().safeParse(id).success) throw fail.notFound();
  const db = await getDb();
  const passwordHash = input.password === undefined ? undefined : await hashPassword(input.password);
  await db.transaction(async (tx) => {
    await tx.execute(sql`lock table ${users} in share row exclusive mode`);
    const [target] = await tx
      .select({ role: users.role })
      .from(users)
      .where(and(eq(users.id, id), eq(users.companyId, companyId)));
    if (!target) throw fail.notFound();
    if (target.role === "admin" && input.role === "member") {
      const [{ n } = { n: 0 }] = await tx
        .select({ n: count() })
        .from(users)
        .where(and(eq(users.companyId, companyId), eq(users.role, "admin")));
      if (n <= 1) throw fail.conflict("The last admin cannot become a member");
    }
    const role = input.role !== target.role ? input.role : undefined;
    // Nothing to change (no field, or the role the user has): their sessions go on.
    if (role === undefined && passwordHash === undefined) return;
    await tx
      .update(users)
      .set({
        ...(role ? { role } : {}),
        ...(passwordHash ? { passwordHash, passwordChangedAt: now() } : {}),
        sessionVersion: nextSessionVersion,
      })
      .where(eq(users.id, id));
  });
  recentUsers.delete(id);
}
