import type { AppContext } from '../../context.ts';
import { createDemo, demoLoginLines } from './demo.ts';

/** On an empty database (no plan yet), seeds a demo sitting that starts now. */
export async function seedDemoIfEmpty(ctx: AppContext): Promise<{ loginLines: string[] } | null> {
  const anyPlan = await ctx.db.selectFrom('plans').select('id').limit(1).executeTakeFirst();
  if (anyPlan) return null;
  const startsAt = ctx.clock.now();
  const demo = await createDemo(ctx, { candidates: 40, level: 'junior', startsAt, papers: 'both', school: true });
  return { loginLines: demoLoginLines(demo, startsAt) };
}
