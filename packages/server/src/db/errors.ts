/**
 * Database errors that modules turn into answers a user can act on, on either
 * database: PostgreSQL (pg) or SQLite (better-sqlite3).
 */

function errorCode(err: unknown): unknown {
  return (err as { code?: unknown } | null)?.code;
}

/** A unique or primary-key constraint broke (PostgreSQL 23505, SQLite UNIQUE/PRIMARY KEY). */
export function isUniqueViolation(err: unknown): boolean {
  const code = errorCode(err);
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/**
 * Which unique constraint a failed statement broke: the constraint or index
 * name (PostgreSQL) or the message naming the columns (SQLite), so callers can
 * tell which rule was broken; null for any other error.
 */
export function uniqueViolation(err: unknown): string | null {
  if (!err || typeof err !== 'object' || !isUniqueViolation(err)) return null;
  const e = err as { code?: unknown; constraint?: unknown; message?: unknown };
  if (e.code === '23505') return `${String(e.constraint ?? '')} ${String(e.message ?? '')}`;
  return String(e.message ?? '');
}

/** A foreign key broke (PostgreSQL 23503, SQLite FOREIGNKEY): a row read before the transaction is gone. */
export function isForeignKeyViolation(err: unknown): boolean {
  const code = errorCode(err);
  return code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}
