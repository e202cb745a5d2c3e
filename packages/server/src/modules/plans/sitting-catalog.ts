import type { Kysely } from 'kysely';
import { blueprintSpecSchema, type Level, sittingRulesSchema, type BlueprintSpec, type Paper, type SittingRules } from '@kaowu/core';
import type { DB } from '../../db/schema.ts';

export interface Sitting {
  id: string;
  planId: string;
  certificateId: string;
  level: Level;
  paper: Paper;
  name: string;
  startsAt: number;
  endsAt: number;
  rules: SittingRules;
  blueprintId: string;
  /** Safe Exam Browser Config Key when the sitting requires SEB; never sent to clients. */
  sebConfigKey: string | null;
}

/**
 * Sittings with their rules parsed, and blueprints (immutable once used).
 * Sittings are cached for a short time only: an operator may move one, and
 * any node must see that within seconds.
 */
export class SittingCatalog {
  private readonly sittings = new Map<string, { at: number; sitting: Sitting | null }>();
  private readonly blueprints = new Map<string, BlueprintSpec>();

  constructor(
    private readonly db: Kysely<DB>,
    private readonly ttlMs = 2_000,
  ) {}

  async sitting(id: string, now = Date.now()): Promise<Sitting | null> {
    const cached = this.sittings.get(id);
    if (cached && now - cached.at < this.ttlMs) return cached.sitting;
    const row = await this.db
      .selectFrom('sittings')
      .innerJoin('plans', 'plans.id', 'sittings.plan_id')
      .select([
        'sittings.id', 'sittings.plan_id', 'plans.certificate_id', 'sittings.level', 'sittings.paper', 'sittings.name',
        'sittings.starts_at', 'sittings.ends_at', 'sittings.rules', 'sittings.blueprint_id', 'sittings.seb_config_key',
      ])
      .where('sittings.id', '=', id)
      .executeTakeFirst();
    const sitting: Sitting | null = row
      ? {
          id: row.id,
          planId: row.plan_id,
          certificateId: row.certificate_id,
          level: row.level,
          paper: row.paper,
          name: row.name,
          startsAt: Date.parse(row.starts_at),
          endsAt: Date.parse(row.ends_at),
          rules: sittingRulesSchema.parse(JSON.parse(row.rules)),
          blueprintId: row.blueprint_id,
          sebConfigKey: row.seb_config_key,
        }
      : null;
    if (this.sittings.size > 10_000) this.sittings.clear();
    this.sittings.set(id, { at: now, sitting });
    return sitting;
  }

  forget(id: string): void {
    this.sittings.delete(id);
  }

  async blueprint(id: string): Promise<BlueprintSpec> {
    const cached = this.blueprints.get(id);
    if (cached) return cached;
    const row = await this.db.selectFrom('blueprints').select('spec').where('id', '=', id).executeTakeFirstOrThrow();
    const spec = blueprintSpecSchema.parse(JSON.parse(row.spec));
    this.blueprints.set(id, spec);
    return spec;
  }
}
