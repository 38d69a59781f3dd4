import bcrypt from "bcryptjs";

/** bcrypt's cost: about a quarter of a second per hash here, which makes guessing slow. */
const COST = 12;

export const MIN_PASSWORD_LENGTH = 10;
/** bcrypt reads at most 72 bytes; a longer password would be silently cut. */
export const MAX_PASSWORD_BYTES = 72;

export function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `Must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (Buffer.byteLength(password) > MAX_PASSWORD_BYTES) return `Must be at most ${MAX_PASSWORD_BYTES} bytes`;
  return null;
}

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, COST);
}

// Compared against when no user has the address, so that an unknown address takes as long as a
// wrong password and sign-in does not reveal who has an account.
const DECOY_HASH = bcrypt.hashSync("decoy password for unknown users", COST);

export function verifyPassword(password: string, hash: string | null): Promise<boolean> {
  return bcrypt.compare(password, hash ?? DECOY_HASH).then((ok) => ok && hash !== null);
}
