import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { LEVELS, PAPERS, type Level, type Paper } from '@kaowu/core';
import { CONTENT_DIR } from '../../content.ts';
import { addDays, isCalendarDate, sameWeekdayOnOrAfter, shanghaiMs, shanghaiToday } from './plan-time.ts';

/** content/plan-presets.yaml: the manual's 2024 plans, to copy into new plans. */
const hhmm = z.string().regex(/^\d{2}:\d{2}$/);
const presetsFile = z.object({
  certificate: z.string(),
  name: z.string().includes('{year}').includes('{month}'),
  registrationDeadline: z.object({ daysBefore: z.number().int().min(0).max(90), time: hhmm }),
  levels: z.array(z.enum(LEVELS)).min(1),
  sittings: z.array(z.object({ paper: z.enum(PAPERS), start: hhmm, durationMin: z.number().int().min(1).max(600) })).min(1),
  presets: z.array(z.object({ key: z.string().regex(/^[\w-]+$/), examDate: z.string().refine(isCalendarDate) })).min(1),
});
export type PresetsFile = z.infer<typeof presetsFile>;

let cached: PresetsFile | null = null;
export function loadPresets(): PresetsFile {
  cached ??= presetsFile.parse(parse(fs.readFileSync(path.join(CONTENT_DIR, 'plan-presets.yaml'), 'utf8')));
  return cached;
}

export interface PresetPlan {
  certificateCode: string;
  name: string;
  examDate: string;
  registrationDeadline: number;
  sittings: { level: Level; paper: Paper; startsAt: number; durationMin: number }[];
}

/** The plan a preset gives on `examDate` (its own date by default). */
export function planFromPreset(file: PresetsFile, examDate: string): PresetPlan {
  const [year, month] = examDate.split('-');
  const deadlineDate = addDays(examDate, -file.registrationDeadline.daysBefore);
  return {
    certificateCode: file.certificate,
    name: file.name.replace('{year}', year!).replace('{month}', String(Number(month))),
    examDate,
    registrationDeadline: shanghaiMs(deadlineDate, file.registrationDeadline.time)!,
    sittings: file.levels.flatMap((level) =>
      file.sittings.map((s) => ({ level, paper: s.paper, startsAt: shanghaiMs(examDate, s.start)!, durationMin: s.durationMin })),
    ),
  };
}

/** What the console lists: each preset as the manual has it, and the date suggested for a copy made now. */
export function presetViews(now: number) {
  const file = loadPresets();
  const today = shanghaiToday(now);
  return {
    certificate: file.certificate,
    deadlineRule: `报名截止时间：考试日前 ${file.registrationDeadline.daysBefore} 天 ${file.registrationDeadline.time}（北京时间）。手册未规定截止时间，此为默认值，可修改。`,
    presets: file.presets.map((p) => {
      const plan = planFromPreset(file, p.examDate);
      // Late enough that its registration deadline is still to come.
      const suggestedDate = sameWeekdayOnOrAfter(p.examDate, addDays(today, file.registrationDeadline.daysBefore + 1));
      return {
        key: p.key,
        name: plan.name,
        examDate: p.examDate,
        registrationDeadline: new Date(plan.registrationDeadline).toISOString(),
        sittings: plan.sittings.map((s) => ({
          level: s.level, paper: s.paper, startsAt: new Date(s.startsAt).toISOString(), endsAt: new Date(s.startsAt + s.durationMin * 60_000).toISOString(),
        })),
        suggestedDate,
        suggestedName: planFromPreset(file, suggestedDate).name,
      };
    }),
  };
}
