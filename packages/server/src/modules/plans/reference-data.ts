import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { blueprintSpecSchema, LEVELS, PAPERS } from '@kaowu/core';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { newId, nowIso } from '../../ids.ts';
import { CONTENT_DIR } from '../../content.ts';

export const certificateConfigSchema = z.object({
  levels: z.array(z.enum(LEVELS)).min(1),
  papers: z.partialRecord(z.enum(PAPERS), z.object({ durationMin: z.number().positive(), blueprint: z.string() })),
  weights: z.object({ theory: z.number().min(0).max(1), practical: z.number().min(0).max(1) }),
  passMark: z.number().min(0).max(100),
  /** Decimal places of the combined score (rounded half up). */
  decimals: z.number().int().min(0).max(2).default(1),
});
export type CertificateConfig = z.infer<typeof certificateConfigSchema>;

const certificatesFile = z.array(z.object({ code: z.string(), name: z.string(), config: certificateConfigSchema }));
const blueprintsFile = z.array(
  z.object({ code: z.string(), certificate: z.string(), paper: z.enum(PAPERS), name: z.string(), spec: blueprintSpecSchema }),
);

function readYaml<T>(file: string, schema: z.ZodType<T>): T {
  return schema.parse(parse(fs.readFileSync(path.join(CONTENT_DIR, file), 'utf8')));
}

/** Adds the certificates and blueprints of content/ that the database lacks; never overwrites. */
export async function ensureReferenceData(db: Kysely<DB>): Promise<void> {
  const certificates = readYaml('certificates.yaml', certificatesFile);
  const blueprints = readYaml('blueprints.yaml', blueprintsFile);
  await db.transaction().execute(async (trx) => {
    for (const c of certificates) {
      await trx
        .insertInto('certificates')
        .values({ id: newId(), code: c.code, name: c.name, config: JSON.stringify(c.config) })
        .onConflict((oc) => oc.column('code').doNothing())
        .execute();
      await addMissingPapers(trx, c.code, c.config);
    }
    for (const b of blueprints) {
      const cert = await trx.selectFrom('certificates').select('id').where('code', '=', b.certificate).executeTakeFirstOrThrow();
      await trx
        .insertInto('blueprints')
        .values({ id: newId(), code: b.code, certificate_id: cert.id, paper: b.paper, name: b.name, spec: JSON.stringify(b.spec), created_at: nowIso() })
        .onConflict((oc) => oc.column('code').doNothing())
        .execute();
    }
  });
}

/**
 * A paper added to a certificate in content/ (the practical paper, say) is
 * added to an installed certificate too; settings already there are kept.
 */
async function addMissingPapers(trx: Kysely<DB>, code: string, fromFile: CertificateConfig): Promise<void> {
  const row = await trx.selectFrom('certificates').select(['id', 'config']).where('code', '=', code).executeTakeFirstOrThrow();
  const stored = JSON.parse(row.config) as CertificateConfig;
  const missing = Object.entries(fromFile.papers).filter(([paper]) => !(paper in stored.papers));
  if (missing.length === 0) return;
  const config = { ...stored, papers: { ...stored.papers, ...Object.fromEntries(missing) } };
  await trx.updateTable('certificates').set({ config: JSON.stringify(config) }).where('id', '=', row.id).execute();
}
