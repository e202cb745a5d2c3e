import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as m0001 from './migrations/0001_delivery_core.ts';
import * as m0002 from './migrations/0002_practical.ts';
import * as m0003 from './migrations/0003_administration.ts';
import * as m0005 from './migrations/0005_sites.ts';
import * as m0006 from './migrations/0006_registration.ts';
import * as m0007 from './migrations/0007_exam_day.ts';
import * as m0008 from './migrations/0008_proctoring.ts';
import * as m0009 from './migrations/0009_account_security.ts';
import * as m0010 from './migrations/0010_room_rows.ts';
import * as m0011 from './migrations/0011_login_failures.ts';
import * as m0012 from './migrations/0012_audit_via.ts';
import type { Dialect } from './database.ts';

/** What a migration may need to branch on; it branches only where it must. */
export interface MigrationContext {
  dialect: Dialect;
  /** An 8-byte float column type on both dialects. */
  float: 'real' | 'double precision';
}

type Step = {
  up(db: Kysely<any>, ctx: MigrationContext): Promise<void>;
  down?(db: Kysely<any>, ctx: MigrationContext): Promise<void>;
};

/** The explicit, ordered list of migrations. */
const STEPS: Record<string, Step> = {
  '0001_delivery_core': m0001,
  '0002_practical': m0002,
  '0003_administration': m0003,
  '0005_sites': m0005,
  '0006_registration': m0006,
  '0007_exam_day': m0007,
  '0008_proctoring': m0008,
  '0009_account_security': m0009,
  '0010_room_rows': m0010,
  '0011_login_failures': m0011,
  '0012_audit_via': m0012,
};

class ListedMigrations implements MigrationProvider {
  constructor(private readonly ctx: MigrationContext) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    const out: Record<string, Migration> = {};
    for (const [name, step] of Object.entries(STEPS)) {
      out[name] = {
        up: (db) => step.up(db, this.ctx),
        down: step.down ? (db) => step.down!(db, this.ctx) : undefined,
      };
    }
    return out;
  }
}

/** Runs every pending migration; throws (never exits 0) when one fails. */
export async function migrateToLatest(db: Kysely<any>, dialect: Dialect, schema?: string): Promise<string[]> {
  const ctx: MigrationContext = { dialect, float: dialect === 'postgres' ? 'double precision' : 'real' };
  // With a schema, the migration tables live in it too: Kysely otherwise looks
  // for them across all schemas and may find another tenant's.
  const migrator = new Migrator({ db, provider: new ListedMigrations(ctx), ...(schema ? { migrationTableSchema: schema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
