import { z } from 'zod';
import { itemTypeSchema } from './question.ts';
import { PARTIAL_CREDIT_MODES } from './scoring.ts';
import { shuffled, type Random } from './random.ts';
import { isTaskType, type ItemType } from './levels.ts';

/** 组卷规则: how many questions of each type, and their points. Data, not code. */
export const blueprintSpecSchema = z.object({
  sections: z
    .array(
      z.object({
        /** A question or task type, or "task" for any practical task. */
        type: z.union([itemTypeSchema, z.literal('task')]),
        count: z.number().int().positive(),
        points: z.number().positive(),
        /** Optional: draw only from these syllabus topics. */
        topics: z.array(z.string()).optional(),
      }),
    )
    .min(1),
  multiplePartialCredit: z.enum(PARTIAL_CREDIT_MODES).default('none'),
  /** Shuffle question order within each section, and option order, per candidate. */
  shuffleQuestions: z.boolean().default(true),
  shuffleOptions: z.boolean().default(true),
});
export type BlueprintSpec = z.infer<typeof blueprintSpecSchema>;

export function blueprintTotal(spec: Pick<BlueprintSpec, 'sections'>): number {
  return spec.sections.reduce((sum, s) => sum + s.count * s.points, 0);
}

export type SectionType = BlueprintSpec['sections'][number]['type'];

export interface PoolQuestion {
  id: string;
  type: ItemType;
  topic: string;
  optionIds: string[];
}

/** One question of a candidate's paper, as stored with the attempt. */
export interface PaperEntry {
  questionId: string;
  points: number;
  /** The option ids in the order this candidate sees them (empty for truefalse). */
  optionOrder: string[];
}

export class BlueprintUnsatisfiable extends Error {
  constructor(readonly shortages: { type: SectionType; needed: number; available: number }[]) {
    super(
      '题库不足以按组卷规则组卷：' +
        shortages.map((s) => `${s.type} 需要 ${s.needed} 道，可用 ${s.available} 道`).join('；'),
    );
  }
}

function sectionPool(pool: readonly PoolQuestion[], section: BlueprintSpec['sections'][number]): PoolQuestion[] {
  const typeMatches = (q: PoolQuestion) => (section.type === 'task' ? isTaskType(q.type) : q.type === section.type);
  return pool.filter((q) => typeMatches(q) && (!section.topics || section.topics.includes(q.topic)));
}

/** Throws BlueprintUnsatisfiable when the pool is too small. */
export function checkBlueprint(spec: BlueprintSpec, pool: readonly PoolQuestion[]): void {
  const shortages = spec.sections
    .map((s) => ({ type: s.type, needed: s.count, available: sectionPool(pool, s).length }))
    .filter((s) => s.available < s.needed);
  if (shortages.length > 0) throw new BlueprintUnsatisfiable(shortages);
}

/**
 * Draws one candidate's paper: each section's questions at random without
 * repetition, sections in blueprint order, questions and options shuffled.
 */
export function drawPaper(spec: BlueprintSpec, pool: readonly PoolQuestion[], random: Random): PaperEntry[] {
  checkBlueprint(spec, pool);
  const used = new Set<string>();
  const paper: PaperEntry[] = [];
  for (const section of spec.sections) {
    const candidates = sectionPool(pool, section).filter((q) => !used.has(q.id));
    if (candidates.length < section.count) {
      throw new BlueprintUnsatisfiable([{ type: section.type, needed: section.count, available: candidates.length }]);
    }
    const picked = shuffled(candidates, random).slice(0, section.count);
    // Keep the bank's order when questions are not to be shuffled.
    const ordered = spec.shuffleQuestions ? picked : candidates.filter((q) => picked.includes(q));
    for (const q of ordered) {
      used.add(q.id);
      paper.push({
        questionId: q.id,
        points: section.points,
        optionOrder: spec.shuffleOptions ? shuffled(q.optionIds, random) : q.optionIds.slice(),
      });
    }
  }
  return paper;
}
