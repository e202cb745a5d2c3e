/** Spreadsheets of exam administration: templates, all-or-nothing imports, exports. Pure: Buffer in, Buffer or rows/errors out. */
export * from './core.ts';
export * from './candidates.ts';
export * from './students.ts';
export * from './settlement.ts';
