export * from './levels.ts';
export * from './random.ts';
export * from './question.ts';
export * from './scoring.ts';
export * from './blueprint.ts';
export * from './clock.ts';
export * from './id-card.ts';
export * from './bank-report.ts';
