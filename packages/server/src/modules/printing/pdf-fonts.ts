/**
 * The Chinese font of the printed papers: Noto Sans CJK SC (Debian's
 * fonts-noto-cjk). Found once per process, read once, and embedded in each PDF
 * as a subset of the glyphs it uses.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { FontOptions } from './types.ts';

export interface FontFace {
  path: string;
  /** The face inside a collection (.ttc/.otc); unset for single-font files. */
  postscriptName?: string;
}

export interface CjkFonts {
  regular: FontFace;
  bold: FontFace;
}

export class PrintFontError extends Error {
  readonly code = 'PRINT_FONT_NOT_FOUND';
  constructor(message: string) {
    super(message);
    this.name = 'PrintFontError';
  }
}

/** Folders where distributions put Noto Sans CJK (Debian/Ubuntu, Fedora, Arch, Alpine, manual installs). */
export const DEFAULT_FONT_DIRS = [
  '/usr/share/fonts/opentype/noto',
  '/usr/share/fonts/noto-cjk',
  '/usr/share/fonts/google-noto-cjk',
  '/usr/share/fonts/google-noto-sans-cjk-fonts',
  '/usr/share/fonts/noto',
  '/usr/share/fonts/opentype/noto-cjk',
  '/usr/share/fonts/truetype/noto',
  '/usr/local/share/fonts',
];

/** File names to try in each folder, regular and bold, with the face to pick in collections. */
const KNOWN_FILES: { regular: FontFace; bold: FontFace }[] = [
  {
    regular: { path: 'NotoSansCJK-Regular.ttc', postscriptName: 'NotoSansCJKsc-Regular' },
    bold: { path: 'NotoSansCJK-Bold.ttc', postscriptName: 'NotoSansCJKsc-Bold' },
  },
  { regular: { path: 'NotoSansCJKsc-Regular.otf' }, bold: { path: 'NotoSansCJKsc-Bold.otf' } },
  { regular: { path: 'NotoSansSC-Regular.otf' }, bold: { path: 'NotoSansSC-Bold.otf' } },
];

const isCollection = (file: string) => /\.(ttc|otc)$/i.test(file);

function notFound(tried: string[], detail = ''): PrintFontError {
  return new PrintFontError(
    `找不到可打印中文的字体（Noto Sans CJK SC）。请安装 fonts-noto-cjk（apt-get install fonts-noto-cjk），或用 fontPath 选项指定字体文件。` +
      ` / No Chinese font found (Noto Sans CJK SC): install fonts-noto-cjk or pass the fontPath option.` +
      (detail ? ` ${detail}` : '') +
      (tried.length ? ` Tried: ${tried.join(', ')}` : ''),
  );
}

/** 'NotoSansCJK-Bold.ttc' holds 'NotoSansCJKsc-Bold'; other collections need fontName. */
function guessFace(file: string, given: string | undefined): string | undefined {
  if (given || !isCollection(file)) return given;
  const m = /^(Noto(?:Sans|Serif)CJK)-(\w+)\.ttc$/i.exec(path.basename(file));
  if (m) return `${m[1]}sc-${m[2]}`;
  throw new PrintFontError(`字体集合 ${file} 需要用 fontName 指定字体名（PostScript 名称）。 / ${file} is a font collection: pass fontName (its PostScript name).`);
}

function fromOption(file: string, face: string | undefined, what: string): FontFace {
  if (!fs.existsSync(file)) throw notFound([file], `The ${what} file given does not exist.`);
  return { path: file, postscriptName: guessFace(file, face) };
}

function fontconfig(pattern: string): FontFace | null {
  try {
    const out = execFileSync('fc-match', ['-f', '%{file}\t%{postscriptname}\t%{lang}', pattern], { encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] });
    const [file, ps, langs = ''] = out.split('\t');
    // fc-match always answers with something: keep it only if it covers Simplified Chinese.
    if (!file || !langs.split('|').includes('zh-cn') || !fs.existsSync(file)) return null;
    return { path: file, postscriptName: isCollection(file) ? ps : undefined };
  } catch {
    return null; // no fontconfig
  }
}

let cachedDefault: CjkFonts | undefined;

/** Where the regular and bold faces are; throws PrintFontError, in Chinese and English, when there is none. */
export function findCjkFonts(opts: FontOptions = {}): CjkFonts {
  if (opts.fontPath) {
    const regular = fromOption(opts.fontPath, opts.fontName, 'font');
    let bold: FontFace = regular;
    if (opts.boldFontPath) bold = fromOption(opts.boldFontPath, opts.boldFontName, 'bold font');
    else {
      const sibling = opts.fontPath.replace(/Regular(?=\.\w+$)/, 'Bold');
      if (sibling !== opts.fontPath && fs.existsSync(sibling)) bold = { path: sibling, postscriptName: regular.postscriptName?.replace(/Regular$/, 'Bold') };
    }
    return { regular, bold };
  }
  const useDefaults = !opts.searchPaths && opts.useFontconfig !== false;
  if (useDefaults && cachedDefault) return cachedDefault;

  const tried: string[] = [];
  let found: CjkFonts | null = null;
  search: for (const dir of opts.searchPaths ?? DEFAULT_FONT_DIRS) {
    for (const known of KNOWN_FILES) {
      const file = path.join(dir, known.regular.path);
      tried.push(file);
      if (!fs.existsSync(file)) continue;
      const boldFile = path.join(dir, known.bold.path);
      const regular = { ...known.regular, path: file };
      found = { regular, bold: fs.existsSync(boldFile) ? { ...known.bold, path: boldFile } : regular };
      break search;
    }
  }
  if (!found && opts.useFontconfig !== false) {
    tried.push("fc-match 'Noto Sans CJK SC'");
    const regular = fontconfig('Noto Sans CJK SC:style=Regular');
    if (regular) found = { regular, bold: fontconfig('Noto Sans CJK SC:style=Bold') ?? regular };
  }
  if (!found) throw notFound(tried);
  if (useDefaults) cachedDefault = found;
  return found;
}

const fileCache = new Map<string, Buffer>();

/** The bytes of a font file, read once per process (pdfkit parses them per document and embeds a subset). */
export function fontBytes(file: string): Buffer {
  let buf = fileCache.get(file);
  if (!buf) {
    try {
      buf = fs.readFileSync(file);
    } catch (err) {
      throw new PrintFontError(`字体文件无法读取 / cannot read font file ${file}: ${(err as Error).message}`);
    }
    fileCache.set(file, buf);
  }
  return buf;
}
