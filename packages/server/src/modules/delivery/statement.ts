import { Marked } from 'marked';

/**
 * Task statements are Markdown written by bank authors. They are rendered on
 * the server (the exam client stays small) and raw HTML in them is escaped:
 * a statement can format text and code, never run script in the exam page.
 */
const markdown = new Marked({
  gfm: true,
  renderer: {
    html: ({ text }) => escapeHtml(text),
  },
});

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const cache = new Map<string, string>();

export function statementHtml(source: string): string {
  let html = cache.get(source);
  if (html === undefined) {
    html = markdown.parse(source, { async: false });
    if (cache.size > 2000) cache.clear();
    cache.set(source, html);
  }
  return html;
}
