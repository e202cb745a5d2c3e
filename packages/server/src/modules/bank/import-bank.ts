import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { newId, nowIso } from '../../ids.ts';
import type { BankImportReport, BankProblem } from '@kaowu/core';
import { isBankTask, parseBankFile, type BankFile, type BankItem } from './bank-file.ts';

export type BankImportResult = { ok: true; report: BankImportReport } | { ok: false; problems: BankProblem[] };

/** The parts of a question that make a revision: a change to any of them is a new revision. */
function contentOf(q: BankItem, bank: BankFile) {
  if (isBankTask(q)) {
    // A practical task: everything of it (checks, files, rubric, limits) is in `task`.
    return {
      level: bank.level,
      type: q.type,
      topic: q.topic,
      stem: q.stem,
      code: null,
      options: [],
      key: null,
      points: q.points,
      explanation: q.explanation ?? '',
      task: q.task,
    };
  }
  // A theory question; no `task` key, so the hashes of existing revisions stay what they were.
  return {
    level: bank.level,
    type: q.type,
    topic: q.topic,
    stem: q.stem,
    code: q.code ?? null,
    options: Object.entries(q.options ?? {}).map(([id, text]) => ({ id, text })),
    key: q.answer,
    points: q.points,
    explanation: q.explanation,
  };
}

const hashOf = (content: unknown) => crypto.createHash('sha256').update(JSON.stringify(content)).digest('hex');

/**
 * Imports a bank file, all or nothing: a file with any bad entry changes
 * nothing. A question whose content changed becomes a new revision; papers
 * already drawn keep the revision they drew.
 */
export async function importBank(db: Kysely<DB>, text: string, source: string): Promise<BankImportResult> {
  const parsed = parseBankFile(text);
  if (!parsed.ok) return parsed;
  const bank = parsed.bank;
  const certificate = await db.selectFrom('certificates').select(['id']).where('code', '=', bank.certificate).executeTakeFirst();
  if (!certificate) {
    return { ok: false, problems: [{ path: 'certificate', message: `证书 ${bank.certificate} 不存在` }] };
  }
  const report: BankImportReport = { certificate: bank.certificate, level: bank.level, added: 0, revised: 0, unchanged: 0 };
  await db.transaction().execute(async (trx) => {
    const codes = bank.questions.map((q) => q.id);
    const existing = new Map<string, { id: string; revision: number; content_hash: string; active: number }>();
    for (let i = 0; i < codes.length; i += 500) {
      const rows = await trx
        .selectFrom('questions')
        .select(['id', 'code', 'revision', 'content_hash', 'active'])
        .where('code', 'in', codes.slice(i, i + 500))
        .execute();
      for (const r of rows) {
        const prev = existing.get(r.code);
        if (!prev || prev.revision < r.revision) existing.set(r.code, r);
      }
    }
    const now = nowIso();
    const inserts = [];
    for (const q of bank.questions) {
      const content = contentOf(q, bank);
      const hash = hashOf({ certificate: certificate.id, ...content });
      const latest = existing.get(q.id);
      if (latest && latest.content_hash === hash) {
        if (!latest.active) await trx.updateTable('questions').set({ active: 1 }).where('id', '=', latest.id).execute();
        report.unchanged++;
        continue;
      }
      if (latest) {
        await trx.updateTable('questions').set({ active: 0 }).where('code', '=', q.id).execute();
        report.revised++;
      } else report.added++;
      inserts.push({
        id: newId(),
        code: q.id,
        revision: (latest?.revision ?? 0) + 1,
        certificate_id: certificate.id,
        level: content.level,
        type: content.type,
        topic: content.topic,
        stem: content.stem,
        code_snippet: content.code,
        options: JSON.stringify(content.options),
        answer_key: JSON.stringify(content.key),
        points: content.points,
        explanation: content.explanation,
        task: 'task' in content ? JSON.stringify(content.task) : null,
        content_hash: hash,
        active: 1,
        source,
        created_at: now,
      });
    }
    for (let i = 0; i < inserts.length; i += 100) {
      await trx.insertInto('questions').values(inserts.slice(i, i + 100)).execute();
    }
  });
  return { ok: true, report };
}
