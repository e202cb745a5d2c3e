// The code editor of the practical paper: CodeMirror 6. This module and the
// language modes are loaded on demand (dynamic import), only when a code or
// webpage task is shown, so the theory paper never downloads them.

import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import {
  bracketMatching,
  defaultHighlightStyle,
  indentOnInput,
  indentUnit,
  syntaxHighlighting,
} from '@codemirror/language';
import { Compartment, EditorState, type Extension } from '@codemirror/state';
import {
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  keymap,
  lineNumbers,
} from '@codemirror/view';
import type { EditorLanguage, FileMap } from '../practical';

/** Language support by kind, each its own chunk, loaded once. */
const languages: Partial<Record<EditorLanguage, Promise<Extension>>> = {};

function loadLanguage(kind: EditorLanguage): Promise<Extension> {
  let p = languages[kind];
  if (!p) {
    if (kind === 'python') p = import('@codemirror/lang-python').then((m) => m.python());
    else if (kind === 'html') p = import('@codemirror/lang-html').then((m) => m.html());
    else if (kind === 'css') p = import('@codemirror/lang-css').then((m) => m.css());
    else if (kind === 'javascript') p = import('@codemirror/lang-javascript').then((m) => m.javascript());
    else p = Promise.resolve([]);
    // A failed load (network) may be retried next time.
    p.catch(() => {
      delete languages[kind];
    });
    languages[kind] = p;
  }
  return p;
}

const theme = EditorView.theme({
  '&': { fontSize: '14px', backgroundColor: '#fff' },
  '.cm-scroller': {
    fontFamily: "Consolas, 'Courier New', 'Noto Sans Mono CJK SC', 'Microsoft YaHei', monospace",
    lineHeight: '1.45',
  },
  '.cm-content': { paddingBottom: '40px' },
  '.cm-gutters': { backgroundColor: '#f6f8fa', color: '#8a94a3', borderRight: '1px solid #dde2e8' },
  // CodeMirror keeps the gutter in view with inset-inline-start (Chrome 87+); Chrome 75 needs left.
  '.cm-gutters-before': { left: '0' },
  '.cm-activeLine': { backgroundColor: '#f3f7fe' },
  '.cm-activeLineGutter': { backgroundColor: '#e3ecfa' },
  '&.cm-focused': { outline: 'none' },
  '&.cm-focused .cm-matchingBracket': { backgroundColor: '#d3f9d8', outline: '1px solid #69db7c' },
  '&.cm-focused .cm-nonmatchingBracket': { backgroundColor: '#ffe3e3' },
});

export interface CodeEditor {
  /** Shows another file (each file keeps its own undo history). */
  show(path: string): void;
  /** The current text of a file. */
  text(path: string): string;
  setReadOnly(readOnly: boolean): void;
  focus(): void;
  destroy(): void;
}

export interface EditorOptions {
  files: FileMap;
  current: string;
  readOnly: boolean;
  languageOf(path: string): EditorLanguage;
  /** A file's text changed (read it with text(path) when needed: a big file is not copied on every key). */
  onChange(path: string): void;
}

/**
 * An editor over several files in `parent`: line numbers, bracket matching,
 * syntax highlighting, indentation by 4 spaces, Tab indents (Esc then Tab
 * leaves the editor). Resolves once the language modes are loaded.
 */
export async function createEditor(parent: HTMLElement, opts: EditorOptions): Promise<CodeEditor> {
  const paths = Object.keys(opts.files);
  const langs: Record<string, Extension> = {};
  await Promise.all(
    paths.map((p) =>
      loadLanguage(opts.languageOf(p)).then((ext) => {
        langs[p] = ext;
      }),
    ),
  );

  let readOnly = opts.readOnly;
  const editable = new Compartment();
  const editableExt = (ro: boolean): Extension => [EditorState.readOnly.of(ro), EditorView.editable.of(!ro)];

  const states: Record<string, EditorState> = {};
  const stateOf = (path: string): EditorState => {
    let st = states[path];
    if (!st) {
      st = EditorState.create({
        doc: opts.files[path] ?? '',
        extensions: [
          lineNumbers(),
          highlightActiveLineGutter(),
          highlightSpecialChars(),
          history(),
          drawSelection(),
          EditorState.allowMultipleSelections.of(false),
          indentUnit.of('    '),
          EditorState.tabSize.of(4),
          indentOnInput(),
          syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
          bracketMatching(),
          highlightActiveLine(),
          keymap.of([indentWithTab, ...defaultKeymap, ...historyKeymap]),
          langs[path] ?? [],
          theme,
          editable.of(editableExt(readOnly)),
          EditorView.contentAttributes.of({ 'aria-label': '代码编辑器：' + path, spellcheck: 'false', autocorrect: 'off', autocapitalize: 'off' }),
          EditorView.editorAttributes.of({ 'data-testid': 'code-editor', 'data-path': path }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) opts.onChange(current);
          }),
        ],
      });
      states[path] = st;
    }
    return st;
  };

  let current = opts.current in opts.files ? opts.current : (paths[0] as string);
  const view = new EditorView({ state: stateOf(current), parent });

  return {
    show(path: string) {
      if (path === current || !(path in opts.files)) return;
      states[current] = view.state;
      current = path;
      view.setState(stateOf(path));
      // A state made earlier may carry an older read-only setting.
      view.dispatch({ effects: editable.reconfigure(editableExt(readOnly)) });
    },
    text(path: string) {
      if (path === current) return view.state.doc.toString();
      const st = states[path];
      return st ? st.doc.toString() : (opts.files[path] ?? '');
    },
    setReadOnly(ro: boolean) {
      if (ro === readOnly) return;
      readOnly = ro;
      view.dispatch({ effects: editable.reconfigure(editableExt(ro)) });
    },
    focus() {
      view.focus();
    },
    destroy() {
      view.destroy();
    },
  };
}
