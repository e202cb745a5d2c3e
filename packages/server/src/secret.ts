import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from './db/schema.ts';

/**
 * The token-signing secret: from the environment, or generated once and kept
 * in the database so that every node and every restart shares it.
 */
export async function signingSecret(db: Kysely<DB>, fromEnv: string | undefined): Promise<string> {
  if (fromEnv) return fromEnv;
  await db
    .insertInto('settings')
    .values({ key: 'token_secret', value: crypto.randomBytes(32).toString('base64url') })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const row = await db.selectFrom('settings').select('value').where('key', '=', 'token_secret').executeTakeFirstOrThrow();
  return row.value;
}
