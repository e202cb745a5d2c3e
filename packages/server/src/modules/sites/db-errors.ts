/**
 * A unique-constraint violation, on either database: the constraint or index
 * name (PostgreSQL) or the message naming the columns (SQLite), so callers can
 * tell which rule was broken; null for any other error.
 */
export function uniqueViolation(err: unknown): string | null {
  const e = err as { code?: unknown; constraint?: unknown; message?: unknown } | null;
  if (!e || typeof e !== 'object') return null;
  if (e.code === '23505') return `${String(e.constraint ?? '')} ${String(e.message ?? '')}`;
  if (e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return String(e.message ?? '');
  return null;
}
