/** Which unique constraint a failed statement broke (PostgreSQL 23505, SQLite UNIQUE/PRIMARY KEY), or null for any other error. */
export function uniqueViolation(err: unknown): string | null {
  const e = err as { code?: unknown; constraint?: unknown; message?: unknown } | null;
  if (!e || typeof e !== 'object') return null;
  if (e.code === '23505') return `${String(e.constraint ?? '')} ${String(e.message ?? '')}`;
  if (e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return String(e.message ?? '');
  return null;
}

/** Splits a list for multi-row statements and `IN (…)` lists (both dialects limit bound parameters). */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
