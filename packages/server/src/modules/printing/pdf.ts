/**
 * The drawing kit shared by the printed papers: an A4 pdfkit document with the
 * Chinese font registered, text that fits its box, table cells, QR codes.
 */
import fs from 'node:fs';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { PrintFontError, findCjkFonts, fontBytes, type FontFace } from './pdf-fonts.ts';
import type { PrintOptions, WriteResult } from './types.ts';

export type Doc = PDFKit.PDFDocument;

/** A4 in points. */
export const PAGE = { width: 595.28, height: 841.89 } as const;
export const REGULAR = 'cjk';
export const BOLD = 'cjk-bold';

export const INK = '#1a1a1a';
export const GREY = '#666666';
export const RULE = '#333333';
export const SHADE = '#f1f3f5';

/**
 * Noto Sans CJK: ascender 1.16 em. pdfkit puts the ascender at y; the visual
 * middle of ideographs and digits sits about 0.375 em above the baseline.
 */
const ASCENT = 1.16;
const MID_ABOVE_BASELINE = 0.375;
const LINE_HEIGHT = 1.448;

interface FontkitGlyph {
  id: number;
  advanceWidth: number;
  codePoints: number[];
}
interface FontkitFont {
  layout(text: string, features?: unknown): unknown;
  glyphForCodePoint(cp: number): FontkitGlyph;
  hasGlyphForCodePoint(cp: number): boolean;
}

/** What pdfkit needs of fontkit's GlyphRun: glyphs, positions, and the advance summed after pdfkit scales the positions. */
class DirectRun {
  constructor(
    readonly glyphs: FontkitGlyph[],
    readonly positions: { xAdvance: number; yAdvance: number; xOffset: number; yOffset: number }[],
  ) {}
  get advanceWidth(): number {
    let w = 0;
    for (const p of this.positions) w += p.xAdvance;
    return w;
  }
}

/** Marks, variation selectors and joiners need real shaping. */
const NEEDS_SHAPING = /[\p{M}\u200c\u200d]/u;

/**
 * Chinese, digits and Latin letters need no shaping in Noto Sans CJK SC: each
 * character is its cmap glyph at its advance width (the SC face's default
 * glyphs are the Simplified Chinese forms). fontkit's full OpenType shaping of
 * this font costs ~0.3 ms per new word, most of the time of a ticket, so text
 * without combining marks takes the direct path; the rest is shaped as before.
 */
function useDirectLayout(font: FontkitFont): void {
  const shaped = font.layout.bind(font);
  font.layout = (text: string, features?: unknown) => {
    const hasFeatures = Array.isArray(features) ? features.length > 0 : features != null && Object.keys(features).length > 0;
    if (hasFeatures || NEEDS_SHAPING.test(text)) return shaped(text, features);
    const glyphs: FontkitGlyph[] = [];
    const positions: DirectRun['positions'] = [];
    for (const ch of text) {
      const g = font.glyphForCodePoint(ch.codePointAt(0)!);
      glyphs.push(g);
      positions.push({ xAdvance: g.advanceWidth, yAdvance: 0, xOffset: 0, yOffset: 0 });
    }
    return new DirectRun(glyphs, positions);
  };
}

function registerFace(doc: Doc, alias: string, face: FontFace): void {
  try {
    doc.registerFont(alias, fontBytes(face.path), face.postscriptName as string);
    doc.font(alias);
  } catch (err) {
    if (err instanceof PrintFontError) throw err;
    throw new PrintFontError(
      `字体无法使用 / cannot use font ${face.path}${face.postscriptName ? ` (${face.postscriptName})` : ''}: ${(err as Error).message}`,
    );
  }
  // pdfkit keeps the fontkit font here (pdfkit 0.20).
  const font = (doc as unknown as { _font?: { font?: Partial<FontkitFont> } })._font?.font;
  if (typeof font?.hasGlyphForCodePoint !== 'function' || typeof font.glyphForCodePoint !== 'function' || typeof font.layout !== 'function') return;
  // Refuse fonts without Chinese glyphs rather than print empty boxes.
  if (!font.hasGlyphForCodePoint(0x8003 /* 考 */)) throw new PrintFontError(`字体不含中文字形 / font has no Chinese glyphs: ${face.path}`);
  useDirectLayout(font as FontkitFont);
}

/**
 * A new document: A4, no margins (every element is placed), the Chinese fonts
 * registered, no page yet. bufferPages keeps every page in memory until the end,
 * so that "第 x 页 / 共 y 页" can be written once the count is known (short papers only).
 */
export function newDocument(opts: PrintOptions, title: string, bufferPages = false): Doc {
  const fonts = findCjkFonts(opts);
  const doc = new PDFDocument({
    size: 'A4',
    margin: 0,
    autoFirstPage: false,
    compress: true,
    info: { Title: opts.title ?? title, Author: '考务 Kaowu', Creator: '考务 Kaowu', Producer: 'Kaowu (pdfkit)' },
    lang: 'zh-CN',
    displayTitle: true,
    bufferPages,
  });
  registerFace(doc, REGULAR, fonts.regular);
  registerFace(doc, BOLD, fonts.bold);
  return doc;
}

export function addPage(doc: Doc): void {
  doc.addPage({ size: 'A4', margin: 0 });
}

interface PdfPage {
  fonts: Record<string, unknown>;
}

interface Recording {
  ops: string;
  fonts: [string, unknown][];
}

const recordings = new WeakMap<Doc, Map<string, Recording>>();

/**
 * The parts of a page that are the same on every copy (frames, titles, labels,
 * the 考生须知) are drawn once per document and layout, and their PDF operators
 * replayed on later pages: a ticket then costs only its own data. `paint` must
 * draw nothing that depends on the record, and only vectors and text (whose
 * font resources are carried over); it runs inside save/restore.
 */
export function stamp(doc: Doc, key: string, paint: (doc: Doc) => void): void {
  let byKey = recordings.get(doc);
  if (!byKey) recordings.set(doc, (byKey = new Map()));
  const page = (doc as unknown as { page: PdfPage }).page;
  const seen = byKey.get(key);
  if (seen) {
    doc.addContent(seen.ops);
    for (const [id, ref] of seen.fonts) page.fonts[id] ??= ref;
    return;
  }
  const ops: string[] = [];
  const addContent = doc.addContent;
  doc.addContent = (data: unknown) => {
    ops.push(String(data));
    return addContent.call(doc, data);
  };
  try {
    doc.save();
    paint(doc);
    doc.restore();
  } finally {
    doc.addContent = addContent;
  }
  const fonts = Object.entries(page.fonts).filter(([id]) => ops.some((op) => op.includes(`/${id} `)));
  byKey.set(key, { ops: ops.join('\n'), fonts });
}

/**
 * The two ways out for one kind of printed paper: `render` gathers the PDF
 * into one Buffer, `write` streams it to a file path or a writable (for batches
 * of thousands). Both refuse an empty list (`nothing` says so); `draw` draws
 * every item and returns the page count.
 */
export function paper<T>(title: string, nothing: string, draw: (doc: Doc, items: T[]) => number, layout: { bufferPages?: boolean } = {}) {
  const check = (items: T[]) => {
    if (items.length === 0) throw new RangeError(nothing);
  };
  return {
    async render(items: T[], opts: PrintOptions = {}): Promise<Buffer> {
      check(items);
      return collect(newDocument(opts, title, layout.bufferPages), (doc) => draw(doc, items));
    },
    async write(items: T[], dest: string | Writable, opts: PrintOptions = {}): Promise<WriteResult> {
      check(items);
      return writeOut(newDocument(opts, title, layout.bufferPages), dest, (doc) => draw(doc, items));
    },
  };
}

/** Draws the pages and gathers the PDF into one Buffer. */
export async function collect(doc: Doc, draw: (doc: Doc) => void): Promise<Buffer> {
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  draw(doc);
  doc.end();
  await done;
  return Buffer.concat(chunks);
}

/**
 * Draws the pages straight into a file path or a writable stream: each page
 * leaves memory once drawn, so batches of thousands stay small in memory.
 */
export async function writeOut(doc: Doc, dest: string | Writable, draw: (doc: Doc) => number): Promise<WriteResult> {
  const out = typeof dest === 'string' ? fs.createWriteStream(dest) : dest;
  let bytes = 0;
  doc.on('data', (c: Buffer) => (bytes += c.length));
  doc.pipe(out);
  let pages: number;
  try {
    pages = draw(doc);
  } catch (err) {
    doc.unpipe(out);
    if (typeof dest === 'string') {
      // Our own file: close it and leave no half-written PDF behind.
      out.destroy();
      await new Promise<void>((resolve) => out.once('close', () => resolve()));
      fs.rmSync(dest, { force: true });
    }
    throw err;
  }
  doc.end();
  await finished(out);
  return { pages, bytes };
}

export interface TextStyle {
  size: number;
  bold?: boolean;
  color?: string;
  align?: 'left' | 'center' | 'right';
  /** Shrink down to this size before wrapping (default: 0.75 × size). */
  minSize?: number;
  /** Wrap onto at most this many lines once shrunk (default 1: single line, shrunk to fit). */
  maxLines?: number;
  /** Left/right padding inside the box (default 5). */
  pad?: number;
}

/** The width of a string at a size in a face. */
export function widthOf(doc: Doc, text: string, size: number, bold = false): number {
  doc.font(bold ? BOLD : REGULAR).fontSize(size);
  return doc.widthOfString(text);
}

/** One line of text whose visual middle is at `midY`. */
export function line(doc: Doc, text: string, x: number, midY: number, style: { size: number; bold?: boolean; color?: string; align?: 'left' | 'center' | 'right'; width?: number }): void {
  if (!text) return;
  doc.font(style.bold ? BOLD : REGULAR).fontSize(style.size).fillColor(style.color ?? INK);
  let left = x;
  if (style.align && style.align !== 'left' && style.width !== undefined) {
    const w = doc.widthOfString(text);
    left = style.align === 'center' ? x + (style.width - w) / 2 : x + style.width - w;
  }
  doc.text(text, left, midY - (ASCENT - MID_ABOVE_BASELINE) * style.size, { lineBreak: false });
}

/**
 * Text inside a box, centred vertically. A text too wide is shrunk (down to
 * minSize); if still too wide and maxLines > 1, it wraps at the largest size
 * (not below 7 pt) at which the lines fit; as a last resort it is cut with an
 * ellipsis.
 */
export function boxText(doc: Doc, text: string, box: { x: number; y: number; w: number; h: number }, style: TextStyle): void {
  if (!text) return;
  const pad = style.pad ?? 5;
  const avail = box.w - 2 * pad;
  const align = style.align ?? 'left';
  const w0 = widthOf(doc, text, style.size, style.bold);
  const minSize = style.minSize ?? Math.round(style.size * 0.75 * 2) / 2;
  const oneLine = (t: string, size: number) =>
    line(doc, t, box.x + pad, box.y + box.h / 2, { size, bold: style.bold, color: style.color, align, width: avail });
  if (w0 <= avail) return oneLine(text, style.size);
  const fitted = Math.floor(((style.size * avail) / w0) * 4) / 4;
  if (fitted >= minSize) return oneLine(text, fitted);

  for (let size = style.size; (style.maxLines ?? 1) > 1 && size >= 7; size -= 0.5) {
    const lineH = size * LINE_HEIGHT;
    const lines = Math.min(style.maxLines ?? 1, Math.floor((box.h - 2) / lineH));
    if (lines < 2) continue;
    doc.fontSize(size);
    const h = doc.heightOfString(text, { width: avail, lineGap: 0 });
    if (h > lines * lineH + 0.5) continue;
    doc.fillColor(style.color ?? INK).text(text, box.x + pad, box.y + (box.h - h) / 2, { width: avail, align, lineGap: 0 });
    return;
  }
  // Still too long: one line at the smallest size, cut with an ellipsis.
  let cut = text;
  doc.fontSize(minSize);
  while (cut.length > 1 && doc.widthOfString(`${cut}…`) > avail) cut = cut.slice(0, -1);
  oneLine(`${cut}…`, minSize);
}

/** A rectangle's outline (and fill). */
export function rect(doc: Doc, x: number, y: number, w: number, h: number, opts: { stroke?: string; fill?: string; width?: number; dash?: number } = {}): void {
  doc.save();
  doc.lineWidth(opts.width ?? 0.6);
  if (opts.dash) doc.dash(opts.dash, { space: opts.dash });
  doc.rect(x, y, w, h);
  if (opts.fill && opts.stroke !== 'none') doc.fillAndStroke(opts.fill, opts.stroke ?? RULE);
  else if (opts.fill) doc.fill(opts.fill);
  else doc.stroke(opts.stroke ?? RULE);
  doc.restore();
}

export function hline(doc: Doc, x1: number, x2: number, y: number, opts: { color?: string; width?: number; dash?: number } = {}): void {
  doc.save().lineWidth(opts.width ?? 0.6);
  if (opts.dash) doc.dash(opts.dash, { space: opts.dash });
  doc.moveTo(x1, y).lineTo(x2, y).stroke(opts.color ?? RULE);
  doc.restore();
}

export function vline(doc: Doc, x: number, y1: number, y2: number, opts: { color?: string; width?: number; dash?: number } = {}): void {
  doc.save().lineWidth(opts.width ?? 0.6);
  if (opts.dash) doc.dash(opts.dash, { space: opts.dash });
  doc.moveTo(x, y1).lineTo(x, y2).stroke(opts.color ?? RULE);
  doc.restore();
}

/**
 * A QR code drawn as vector rectangles (one filled path, runs of dark modules
 * merged): sharp at any zoom, and far cheaper than encoding and embedding a PNG
 * per ticket.
 */
export function qrCode(doc: Doc, text: string, x: number, y: number, size: number): void {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = modules.size;
  const quiet = 2; // modules of white border included in `size`
  const m = size / (n + 2 * quiet);
  const ox = x + quiet * m, oy = y + quiet * m;
  doc.save();
  for (let r = 0; r < n; r++) {
    let c = 0;
    while (c < n) {
      if (!modules.get(r, c)) {
        c++;
        continue;
      }
      const start = c;
      while (c < n && modules.get(r, c)) c++;
      // A hair of overlap so no white seams show between modules in viewers.
      doc.rect(ox + start * m, oy + r * m, (c - start) * m + 0.05, m + 0.05);
    }
  }
  doc.fill('#000000');
  doc.restore();
}

/** Parses an ISO time; throws in Chinese and English on nonsense. */
export function parseTime(iso: string, what: string): number {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) throw new RangeError(`${what}时间格式不正确 / invalid time for ${what}: ${JSON.stringify(iso)}`);
  return ms;
}

/** '110101199003071234' → '110101********1234'. */
export function maskIdNumber(id: string): string {
  const s = id.trim();
  if (s.length <= 8) return s.replace(/.(?=.{2})/g, '*');
  return s.slice(0, 6) + '*'.repeat(s.length - 10) + s.slice(-4);
}

/**
 * The head of a sheet filled in on exam day (签到表, 考场情况记录表): the plan,
 * the title, then label and value pairs two to a row from y = 100.
 */
export function sheetHeading(doc: Doc, x0: number, width: number, planName: string, title: string, fields: [label: string, value: string][]): void {
  line(doc, planName, x0, 44, { size: 12, color: '#333333', align: 'center', width });
  line(doc, title, x0, 70, { size: 21, bold: true, align: 'center', width });
  const half = width / 2;
  fields.forEach(([label, value], i) => {
    const x = x0 + (i % 2) * half;
    const y = 100 + Math.floor(i / 2) * 19;
    line(doc, label, x, y, { size: 10.5, color: GREY });
    boxText(doc, value, { x: x + 60, y: y - 9, w: half - 60, h: 18 }, { size: 11, bold: true, minSize: 8, pad: 0 });
  });
}
