import crypto from 'node:crypto';

/** An invitation token: 32 random bytes, base64url; only its SHA-256 is stored. */
export function newInvitationToken(): { token: string; hash: string } {
  const token = crypto.randomBytes(32).toString('base64url');
  return { token, hash: tokenHash(token) };
}

export const tokenHash = (token: string): string => crypto.createHash('sha256').update(token, 'utf8').digest('hex');

// No 0/O, 1/l/I: initial passwords are read off a printed list.
const LETTERS = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '23456789';

/** A random initial password: 8 characters with at least one letter and one digit. */
export function initialPassword(length = 8): string {
  const all = LETTERS + DIGITS;
  for (;;) {
    const chars = Array.from({ length }, () => all[crypto.randomInt(all.length)]!);
    const s = chars.join('');
    if (/[A-Za-z]/.test(s) && /\d/.test(s)) return s;
  }
}
