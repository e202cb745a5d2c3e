// Pure helpers of the practical paper (实操): the files a code or webpage task
// edits, the limits on answers and uploads, and the live preview of a webpage
// task. No DOM and no network here: tested under Node (test/practical.test.ts).

import { formatSize } from './format';
import type { FileMap } from './tasks';
import type { Task } from './types';

export type { FileMap };

/** As the server checks them (@kaowu/core: MAX_ANSWER_FILES, MAX_ANSWER_BYTES, textAnswerSchema). */
export const MAX_ANSWER_FILES = 20;
export const MAX_ANSWER_BYTES = 200 * 1024;
export const MAX_CASE_CHARS = 20_000;
export const DEFAULT_MAX_UPLOAD_KB = 2048;

/** Bytes of a string in UTF-8, without allocating (lone surrogates count 3, as TextEncoder writes U+FFFD). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

/** The size of a files answer as the server counts it: path length plus UTF-8 bytes of each file. */
export function filesBytes(files: FileMap): number {
  let n = 0;
  for (const p of Object.keys(files)) n += p.length + utf8Length(files[p] as string);
  return n;
}

/** Why the server would refuse these files, in Chinese; null when they can be saved. */
export function filesProblem(files: FileMap): string | null {
  const count = Object.keys(files).length;
  if (count > MAX_ANSWER_FILES) return '文件不能超过 ' + MAX_ANSWER_FILES + ' 个';
  const bytes = filesBytes(files);
  if (bytes > MAX_ANSWER_BYTES) {
    return '代码总量 ' + formatSize(bytes) + '，超过了 ' + MAX_ANSWER_BYTES / 1024 + ' KB 的上限，无法保存。请删减后再试。';
  }
  return null;
}

const KIND_ORDER: Record<string, number> = { html: 0, css: 1, javascript: 2, python: 0, text: 3 };

/**
 * Tab order: the entry file first, then the starter files in the bank's order
 * (for a webpage: pages, style sheets, scripts), then files only in the answer.
 */
export function orderedPaths(task: Task, files: FileMap): string[] {
  const starter = Object.keys(task.files || {});
  const rank = (p: string) => {
    if (p === task.entry) return -1;
    const i = starter.indexOf(p);
    const kind = task.type === 'webpage' ? (KIND_ORDER[languageOf(p)] as number) : 0;
    return i >= 0 ? kind * 1000 + i : 10_000 + kind;
  };
  return Object.keys(files).sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

export type EditorLanguage = 'python' | 'html' | 'css' | 'javascript' | 'text';

export function languageOf(path: string): EditorLanguage {
  const m = /\.([A-Za-z0-9]+)$/.exec(path);
  const ext = m ? (m[1] as string).toLowerCase() : '';
  if (ext === 'py') return 'python';
  if (ext === 'html' || ext === 'htm') return 'html';
  if (ext === 'css') return 'css';
  if (ext === 'js' || ext === 'mjs') return 'javascript';
  return 'text';
}

// --- uploads ----------------------------------------------------------------

/** Why this file cannot be uploaded, in Chinese; null when it can. */
export function uploadProblem(file: { name: string; size: number }, maxUploadKb: number | undefined): string | null {
  const maxKb = maxUploadKb && maxUploadKb > 0 ? maxUploadKb : DEFAULT_MAX_UPLOAD_KB;
  if (!/\.zip$/i.test(file.name)) return '请选择 .zip 格式的压缩文件（当前文件：' + file.name + '）';
  if (file.size <= 0) return '所选文件是空的，请重新打包后上传';
  if (file.size > maxKb * 1024) {
    return '文件大小为 ' + formatSize(file.size) + '，超过了 ' + formatSize(maxKb * 1024) + ' 的上限，请删去无关文件后重新打包';
  }
  return null;
}

/** The file name sent with an upload: no folders, at most 200 characters (the server's limit), extension kept. */
export function uploadName(name: string): string {
  const base = name.replace(/^.*[\\/]/, '') || 'project.zip';
  if (base.length <= 200) return base;
  return base.slice(0, 196) + '.zip';
}

// --- webpage preview ----------------------------------------------------------

/** The page a webpage task previews first: its entry when it is a page, else index.html, else the first page. */
export function previewPage(task: Task, files: FileMap): string | null {
  if (/\.html?$/i.test(task.entry) && task.entry in files) return task.entry;
  if ('index.html' in files) return 'index.html';
  const pages = Object.keys(files).filter((p) => /\.html?$/i.test(p)).sort();
  return pages.length ? (pages[0] as string) : null;
}

/**
 * A link of `fromPage` to a file of the working folder ("css/a.css",
 * "./a.js", "../x/b.css" from "pages/p.html"), or null when it points
 * elsewhere (http:, //host, data:, #fragment, an absolute path).
 */
export function resolveLocal(fromPage: string, href: string): string | null {
  let h = href.trim();
  if (!h || h.charAt(0) === '#' || h.charAt(0) === '/' || /^[A-Za-z][A-Za-z0-9+.-]*:/.test(h)) return null;
  h = h.replace(/[?#].*$/, '');
  try {
    h = decodeURIComponent(h);
  } catch {
    /* keep as written */
  }
  const parts = fromPage.split('/');
  parts.pop();
  for (const seg of h.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (!parts.length) return null;
      parts.pop();
    } else parts.push(seg);
  }
  return parts.length ? parts.join('/') : null;
}

/** Attribute value of one tag's source text ('' when absent, null when the attribute is missing). */
function attr(tag: string, name: string): string | null {
  const re = new RegExp('\\s' + name + '\\s*=\\s*(?:"([^"]*)"|\'([^\']*)\'|([^\\s"\'=<>`]+))', 'i');
  const m = re.exec(tag);
  if (!m) return new RegExp('\\s' + name + '(?=[\\s/>])', 'i').test(tag) ? '' : null;
  return decodeEntities(m[1] !== undefined ? m[1] : m[2] !== undefined ? m[2] : (m[3] as string));
}

function decodeEntities(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|#39|apos);/g, (_, e: string) =>
    e === 'amp' ? '&' : e === 'lt' ? '<' : e === 'gt' ? '>' : e === 'quot' ? '"' : "'",
  );
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** JS placed inside <script>…</script>: "</script" and "<!--" cannot end or confuse the element; strings keep their value. */
export function escapeInlineScript(js: string): string {
  return js.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

/** CSS placed inside <style>…</style> ("\/" is "/" in CSS). */
export function escapeInlineStyle(css: string): string {
  return css.replace(/<\/(style)/gi, '<\\/$1');
}

/** Messages the preview posts to the exam page. */
export interface PreviewMessage {
  kaowuPreview: 'navigate' | 'error';
  href?: string;
  message?: string;
  line?: number;
}

/**
 * Put first in the preview: what cannot load stays off the network (the
 * sandboxed frame has an opaque origin anyway), links to other pages of the
 * folder ask the exam page to show them, and script errors are reported,
 * since the candidate has no developer tools.
 */
const PREVIEW_HEAD =
  '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; script-src \'unsafe-inline\' data:; ' +
  'style-src \'unsafe-inline\' data:; img-src data: blob:; font-src data:; media-src data: blob:">' +
  '<script>(function(){' +
  'function post(m){try{parent.postMessage(m,"*")}catch(e){}}' +
  'window.addEventListener("error",function(e){post({kaowuPreview:"error",message:String(e.message||"脚本错误"),line:e.lineno||0})});' +
  'document.addEventListener("click",function(e){if(e.defaultPrevented)return;var a=e.target;' +
  'while(a&&a.nodeName!=="A")a=a.parentNode;if(!a||!a.getAttribute)return;var h=a.getAttribute("href");' +
  'if(!h||h.charAt(0)==="#"||/^javascript:/i.test(h))return;e.preventDefault();post({kaowuPreview:"navigate",href:h})});' +
  '})();</script>';

/**
 * The preview document of a webpage task (for an iframe's srcdoc): the page
 * with the style sheets and scripts it links from the working folder inlined
 * in place (a deferred or async script becomes a data: URL, so it still runs
 * after parsing), and PREVIEW_HEAD first in its head.
 */
export function buildSrcdoc(files: FileMap, page: string): string {
  let html = files[page];
  if (html === undefined) return '<!doctype html><meta charset="utf-8"><p>找不到页面文件 ' + page.replace(/</g, '&lt;') + '</p>';

  // <link rel="stylesheet" href="…"> of a local file → <style>.
  html = html.replace(/<link\b[^>]*>/gi, (tag) => {
    const rel = attr(tag, 'rel');
    if (!rel || !/(^|\s)stylesheet(\s|$)/i.test(rel)) return tag;
    const href = attr(tag, 'href');
    const path = href ? resolveLocal(page, href) : null;
    if (path === null || files[path] === undefined) return tag;
    const media = attr(tag, 'media');
    return '<style data-href="' + escapeAttr(path) + '"' + (media ? ' media="' + escapeAttr(media) + '"' : '') + '>' +
      escapeInlineStyle(files[path] as string) + '</style>';
  });

  // <script src="…"></script> of a local file → inline (or a data: URL when deferred/async).
  html = html.replace(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi, (whole, attrs: string) => {
    const open = '<script' + attrs + '>';
    const src = attr(open, 'src');
    const path = src ? resolveLocal(page, src) : null;
    if (path === null || files[path] === undefined) return whole;
    const js = files[path] as string;
    const rest = attrs.replace(/\s(src|defer|async|integrity|crossorigin)(\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?/gi, '');
    const type = attr(open, 'type');
    const isModule = !!type && type.toLowerCase() === 'module';
    const deferred = !isModule && (attr(open, 'defer') !== null || attr(open, 'async') !== null);
    if (deferred) {
      const how = attr(open, 'async') !== null ? ' async' : ' defer';
      return '<script' + rest + how + ' data-href="' + escapeAttr(path) + '" src="data:text/javascript;charset=utf-8,' +
        encodeURIComponent(js) + '"></script>';
    }
    return '<script' + rest + ' data-href="' + escapeAttr(path) + '">' + escapeInlineScript(js) + '</script>';
  });

  // PREVIEW_HEAD right after <head>, else after <html>, else after the doctype, else first.
  const at = (re: RegExp): number => {
    const m = re.exec(html as string);
    return m ? m.index + m[0].length : -1;
  };
  let pos = at(/<head\b[^>]*>/i);
  if (pos < 0) pos = at(/<html\b[^>]*>/i);
  if (pos < 0) pos = at(/^\s*<!doctype[^>]*>/i);
  if (pos < 0) return PREVIEW_HEAD + html;
  return html.slice(0, pos) + PREVIEW_HEAD + html.slice(pos);
}
