import { sittingRulesSchema, LEVEL_NAMES, PAPER_NAMES, type Level, type Paper, type SittingRulesInput } from '@kaowu/core';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { newId, nowIso } from '../../ids.ts';
import { badRequest } from '../../http/errors.ts';
import { certificateConfigSchema } from './reference-data.ts';
import { allocatePlanCode } from './plan-code.ts';

export interface NewSitting {
  level: Level;
  paper: Paper;
  startsAt: number;
  durationMin?: number;
  rules?: SittingRulesInput;
}

export interface NewPlan {
  certificateCode: string;
  name: string;
  /** YYYY-MM-DD, Asia/Shanghai. */
  examDate: string;
  registrationDeadline?: number;
  sittings: NewSitting[];
}

/** Creates a plan (with a unique code, see plan-code.ts) and its sittings in the caller's transaction. */
export async function createPlan(trx: Kysely<DB>, plan: NewPlan): Promise<{ planId: string; sittingIds: string[]; code: string }> {
  const cert = await trx.selectFrom('certificates').selectAll().where('code', '=', plan.certificateCode).executeTakeFirst();
  if (!cert) throw badRequest('CERTIFICATE_NOT_FOUND', `证书 ${plan.certificateCode} 不存在`);
  const config = certificateConfigSchema.parse(JSON.parse(cert.config));
  const planId = newId();
  const now = nowIso();
  const code = await allocatePlanCode(trx, plan.examDate);
  await trx
    .insertInto('plans')
    .values({
      id: planId,
      certificate_id: cert.id,
      name: plan.name,
      exam_date: plan.examDate,
      registration_deadline: plan.registrationDeadline ? nowIso(plan.registrationDeadline) : null,
      created_at: now,
      code,
    })
    .execute();
  const sittingIds: string[] = [];
  for (const s of plan.sittings) {
    const paperConfig = config.papers[s.paper];
    if (!paperConfig) throw badRequest('PAPER_NOT_OFFERED', `证书 ${cert.name} 没有${PAPER_NAMES[s.paper]}试卷`);
    if (!config.levels.includes(s.level)) throw badRequest('LEVEL_NOT_OFFERED', `证书 ${cert.name} 没有${LEVEL_NAMES[s.level]}`);
    const blueprint = await trx.selectFrom('blueprints').select('id').where('code', '=', paperConfig.blueprint).executeTakeFirst();
    if (!blueprint) throw badRequest('BLUEPRINT_NOT_FOUND', `组卷规则 ${paperConfig.blueprint} 不存在`);
    const duration = s.durationMin ?? paperConfig.durationMin;
    const id = newId();
    sittingIds.push(id);
    await trx
      .insertInto('sittings')
      .values({
        id,
        plan_id: planId,
        level: s.level,
        paper: s.paper,
        name: `${cert.name} ${LEVEL_NAMES[s.level]} ${PAPER_NAMES[s.paper]}考试`,
        starts_at: nowIso(s.startsAt),
        ends_at: nowIso(s.startsAt + duration * 60_000),
        blueprint_id: blueprint.id,
        rules: JSON.stringify(sittingRulesSchema.parse(s.rules ?? {})),
        created_at: now,
      })
      .execute();
  }
  return { planId, sittingIds, code };
}
