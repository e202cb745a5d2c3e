// This machine's exam client id (X-Kaowu-Client): random, kept in
// localStorage, so a reload is the same client and another computer is not.
// The server lets one client at a time write to an attempt; another one waits
// for a proctor's approval (换机).

import type { KV } from './storage';

export const CLIENT_KEY = 'kaowu.exam.client';
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const VALID = /^[A-Za-z0-9_-]{8,64}$/;

function randomBytes(n: number): number[] {
  const out: number[] = [];
  const c = typeof crypto !== 'undefined' ? crypto : undefined;
  if (c && typeof c.getRandomValues === 'function') {
    const buf = new Uint8Array(n);
    c.getRandomValues(buf);
    for (let i = 0; i < n; i++) out.push(buf[i] as number);
    return out;
  }
  for (let i = 0; i < n; i++) out.push(Math.floor(Math.random() * 256));
  return out;
}

/** A new id: 'c' and 23 random letters or digits. */
export function newClientId(bytes: (n: number) => number[] = randomBytes): string {
  let id = 'c';
  for (const b of bytes(23)) id += ALPHABET.charAt(b % ALPHABET.length);
  return id;
}

/** The stored id, or a new one stored now. */
export function ensureClientId(kv: KV, make: () => string = newClientId): string {
  let stored: string | null = null;
  try {
    stored = kv.getItem(CLIENT_KEY);
  } catch {
    stored = null;
  }
  if (stored && VALID.test(stored)) return stored;
  const id = make();
  try {
    kv.setItem(CLIENT_KEY, id);
  } catch {
    /* private mode: this page keeps it in memory */
  }
  return id;
}
