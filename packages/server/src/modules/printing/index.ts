/**
 * The printed papers of exam day as A4 PDFs: admission tickets (准考证), door
 * stickers (考场门贴), desk stickers (考场桌贴) and sign-in sheets (签到表).
 * Pure functions of their inputs; Chinese text in Noto Sans CJK SC, embedded
 * as subsets.
 */
export * from './types.ts';
export { PrintFontError, findCjkFonts, DEFAULT_FONT_DIRS, type CjkFonts, type FontFace } from './pdf-fonts.ts';
export { maskIdNumber } from './pdf.ts';
export { renderTickets, writeTickets, CANDIDATE_RULES } from './tickets.ts';
export { renderDoorStickers, writeDoorStickers } from './door-stickers.ts';
export { renderDeskStickers, writeDeskStickers, DESK_COLUMNS, DESK_ROWS } from './desk-stickers.ts';
export { renderSignInSheets, writeSignInSheets, SIGN_IN_ROWS_PER_PAGE } from './sign-in-sheets.ts';
