// Answer area of a code or webpage task: the CodeMirror editor (loaded on
// demand) with a tab per file, 运行样例 and its results, and for a webpage
// the live preview in a sandboxed frame.

import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { AttemptSession } from '../attempt';
import { runSamples, type RunOutcome } from './actions';
import { formatSize } from '../format';
import {
  buildSrcdoc,
  filesBytes,
  filesProblem,
  languageOf,
  MAX_ANSWER_BYTES,
  orderedPaths,
  previewPage,
  resolveLocal,
  type PreviewMessage,
} from '../practical';
import { initialFiles, sameFiles, type FileMap } from '../tasks';
import type { Question, Task } from '../types';
import type { CodeEditor } from './editor';
import { RunResults, type RunView } from './RunResults';

type EditorModule = typeof import('./editor');
let editorModule: Promise<EditorModule> | null = null;

/** Starts loading CodeMirror (once); a failed load may be tried again. */
export function preloadEditor(): Promise<EditorModule> {
  if (!editorModule) {
    editorModule = import('./editor');
    editorModule.catch(() => {
      editorModule = null;
    });
  }
  return editorModule;
}

/** Changes are recorded this long after the last key (and at least every MAX_WAIT_MS while typing). */
const SAVE_DEBOUNCE_MS = 400;
const SAVE_MAX_WAIT_MS = 2000;
const PREVIEW_DEBOUNCE_MS = 700;

const LANG_NAMES: Record<string, string> = { python: 'Python', html: 'HTML', css: 'CSS', javascript: 'JavaScript', text: '文本' };

export function CodeWork(props: { session: AttemptSession; question: Question; task: Task }) {
  const { session, question, task } = props;
  const qid = question.id;
  const isWeb = task.type === 'webpage';
  // The files as they were when this task was opened; the editor owns them from then on.
  const initial = useMemo(() => initialFiles(task, session.answer(qid)), []);
  const paths = useMemo(() => orderedPaths(task, initial), []);
  const [current, setCurrent] = useState(paths[0] as string);
  const [load, setLoad] = useState<{ state: 'loading' | 'ready' | 'failed'; round: number }>({ state: 'loading', round: 0 });
  const [sizeError, setSizeError] = useState<string | null>(null);
  const [run, setRun] = useState<RunView>({ state: 'idle' });
  const [bottom, setBottom] = useState<'preview' | 'results'>('preview');
  const [previewFiles, setPreviewFiles] = useState<FileMap>(initial);
  const [bytes, setBytes] = useState(() => filesBytes(initial));

  const host = useRef<HTMLDivElement>(null); // CodeMirror's parent
  const editor = useRef<CodeEditor | null>(null);
  const dirty = useRef(false);
  const lastSaved = useRef<FileMap>(initial);
  const saveTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const firstDirtyAt = useRef(0);
  const previewTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const mounted = useRef(true);

  const currentFiles = (): FileMap => {
    const ed = editor.current;
    if (!ed) return lastSaved.current;
    const out: FileMap = {};
    for (const p of paths) out[p] = ed.text(p);
    return out;
  };

  /** Records the editor's files as the answer (through the autosave queue). */
  const saveNow = () => {
    if (saveTimer.current !== null) clearTimeout(saveTimer.current);
    saveTimer.current = null;
    if (!dirty.current || !editor.current) return;
    const files = currentFiles();
    const problem = filesProblem(files);
    if (mounted.current) {
      setSizeError(problem);
      setBytes(filesBytes(files));
    }
    if (problem) return; // kept in the editor; saved once it fits again
    if (!session.answerable) return; // stays dirty: recorded when answering is possible again
    dirty.current = false;
    if (sameFiles(files, lastSaved.current)) return;
    lastSaved.current = files;
    session.setAnswer(qid, { files });
  };

  const onChange = () => {
    const now = Date.now();
    if (!dirty.current || saveTimer.current === null) firstDirtyAt.current = now;
    dirty.current = true;
    if (saveTimer.current !== null) clearTimeout(saveTimer.current);
    const wait = Math.max(0, Math.min(SAVE_DEBOUNCE_MS, SAVE_MAX_WAIT_MS - (now - firstDirtyAt.current)));
    saveTimer.current = setTimeout(saveNow, wait);
    if (isWeb) {
      if (previewTimer.current !== null) clearTimeout(previewTimer.current);
      previewTimer.current = setTimeout(() => {
        previewTimer.current = null;
        if (mounted.current && editor.current) setPreviewFiles(currentFiles());
      }, PREVIEW_DEBOUNCE_MS);
    }
  };

  useEffect(() => {
    mounted.current = true;
    const off = session.registerFlusher(saveNow);
    return () => {
      mounted.current = false;
      off();
      if (previewTimer.current !== null) clearTimeout(previewTimer.current);
    };
  }, []);

  // The editor: created once CodeMirror is loaded, destroyed (after a last save) when the task is left.
  useEffect(() => {
    let cancelled = false;
    preloadEditor()
      .then((m) =>
        m.createEditor(host.current as HTMLDivElement, {
          files: initial,
          current,
          readOnly: !session.answerable,
          languageOf,
          onChange,
        }),
      )
      .then(
        (ed) => {
          if (cancelled) return ed.destroy();
          editor.current = ed;
          setLoad({ state: 'ready', round: load.round });
        },
        () => {
          if (!cancelled) setLoad({ state: 'failed', round: load.round });
        },
      );
    return () => {
      cancelled = true;
      saveNow();
      if (editor.current) editor.current.destroy();
      editor.current = null;
    };
  }, [load.round]);

  const readOnly = !session.answerable;
  useEffect(() => {
    if (editor.current) editor.current.setReadOnly(readOnly);
    if (!readOnly) saveNow(); // changes held back while answering was blocked
  }, [readOnly, load.state]);

  const showFile = (p: string) => {
    setCurrent(p);
    if (editor.current) {
      editor.current.show(p);
      editor.current.focus();
    }
  };

  // 运行样例: save first, then run the samples on the files as they are now.
  const running = run.state === 'running';
  const [tick, setTick] = useState(0);
  const waitLeft = run.state === 'rate-limited' ? Math.max(0, Math.ceil((run.until - Date.now()) / 1000)) : 0;
  useEffect(() => {
    if (waitLeft <= 0) return;
    const t = setTimeout(() => setTick(tick + 1), 1000);
    return () => clearTimeout(t);
  }, [waitLeft, tick]);

  const runBusy = useRef(false); // a double click must not start a second run before the re-render
  const doRun = async () => {
    if (runBusy.current || running || waitLeft > 0 || !editor.current) return;
    runBusy.current = true;
    try {
      await runOnce();
    } finally {
      runBusy.current = false;
    }
  };
  const runOnce = async () => {
    saveNow();
    const files = currentFiles();
    const problem = filesProblem(files);
    if (problem) {
      setRun({ state: 'error', message: problem });
      return;
    }
    setRun({ state: 'running' });
    if (isWeb) setBottom('results');
    await session.flushSaves(5000); // not required for the run, which sends the files itself
    const out: RunOutcome = await runSamples(session, qid, files);
    if (!mounted.current) return;
    if (out.ok) setRun({ state: 'done', result: out.result, at: Date.now() });
    else if (out.kind === 'rate-limited') setRun({ state: 'rate-limited', message: out.message, until: Date.now() + out.retryAfterSec * 1000 });
    else setRun({ state: out.kind === 'grader-unavailable' ? 'grader-unavailable' : 'error', message: out.message });
  };

  const runButton = task.runnable ? (
    <button
      type="button"
      class="btn btn-primary run-button"
      data-testid="run-samples"
      disabled={running || waitLeft > 0 || load.state !== 'ready' || readOnly}
      onClick={() => void doRun()}
      title="用当前代码运行题目中的样例（不计分）"
    >
      {running ? '正在运行…' : waitLeft > 0 ? '运行样例（' + waitLeft + ' 秒）' : '运行样例'}
    </button>
  ) : null;

  const results = <RunResults view={run} waitLeft={waitLeft} />;

  return (
    <div class={'code-work' + (isWeb ? ' is-web' : '')}>
      <div class="file-tabs" role="tablist">
        {paths.map((p) => (
          <button
            type="button"
            role="tab"
            key={p}
            class={'file-tab' + (p === current ? ' is-current' : '')}
            aria-selected={p === current}
            data-testid={'file-tab-' + p}
            data-current={p === current ? 'true' : 'false'}
            onClick={() => showFile(p)}
            title={p + '（' + LANG_NAMES[languageOf(p)] + '）'}
          >
            {p}
          </button>
        ))}
        <span class="file-tabs-note muted small">
          {readOnly ? '只读' : formatSize(bytes) + ' / ' + MAX_ANSWER_BYTES / 1024 + ' KB'}
        </span>
      </div>
      <div class="editor-host">
        <div class="editor-frame" ref={host} />
        {load.state === 'loading' ? <div class="editor-msg muted">正在加载代码编辑器…</div> : null}
        {load.state === 'failed' ? (
          <div class="editor-msg">
            <p class="alert alert-error">代码编辑器加载失败（网络异常）。</p>
            <button type="button" class="btn" onClick={() => setLoad({ state: 'loading', round: load.round + 1 })}>
              重新加载
            </button>
          </div>
        ) : null}
      </div>
      {sizeError ? (
        <div class="alert alert-error work-alert" role="alert" data-testid="size-error">
          {sizeError}
        </div>
      ) : null}
      {isWeb ? (
        <div class="web-bottom">
          <div class="web-bottom-bar">
            <button
              type="button"
              class={'panel-tab' + (bottom === 'preview' ? ' is-current' : '')}
              onClick={() => setBottom('preview')}
              data-testid="show-preview"
            >
              页面预览
            </button>
            {task.runnable ? (
              <button
                type="button"
                class={'panel-tab' + (bottom === 'results' ? ' is-current' : '')}
                onClick={() => setBottom('results')}
                data-testid="show-results"
              >
                样例结果
              </button>
            ) : null}
            <span class="spacer" />
            {runButton}
          </div>
          <div class="web-bottom-body">
            {bottom === 'preview' ? <Preview task={task} files={previewFiles} /> : results}
          </div>
        </div>
      ) : (
        <div class="code-bottom">
          <div class="run-bar">
            {runButton}
            <span class="muted small run-hint">
              {task.runnable
                ? '运行题目给出的 ' + task.samples.length + ' 个样例，结果仅供参考，不计分；答案自动保存。'
                : '本题没有可运行的样例；答案自动保存。'}
            </span>
          </div>
          {run.state !== 'idle' ? <div class="run-panel">{results}</div> : null}
        </div>
      )}
    </div>
  );
}

/** The live preview of a webpage task: a sandboxed frame (scripts, no same origin) fed by srcdoc. */
function Preview(props: { task: Task; files: FileMap }) {
  const { task, files } = props;
  // Read-only data files may be linked too (a given style sheet or script).
  const all = useMemo(() => {
    const out: FileMap = {};
    for (const d of task.data || []) if (d.text !== undefined) out[d.path] = d.text;
    for (const p of Object.keys(files)) out[p] = files[p] as string;
    return out;
  }, [files]);
  const pages = Object.keys(all).filter((p) => /\.html?$/i.test(p));
  const [page, setPage] = useState<string | null>(() => previewPage(task, files));
  const [message, setMessage] = useState<string | null>(null);
  const [large, setLarge] = useState(false);
  const [reloads, setReloads] = useState(0);
  const frame = useRef<HTMLIFrameElement>(null);

  const srcdoc = useMemo(
    () => (page ? buildSrcdoc(all, page) : '<!doctype html><p style="font-family:sans-serif;color:#67717e">没有可预览的页面（.html 文件）。</p>'),
    [all, page],
  );
  useEffect(() => setMessage(null), [srcdoc, reloads]);

  useEffect(() => {
    const onMessage = (e: MessageEvent) => {
      if (!frame.current || e.source !== frame.current.contentWindow) return;
      const d = e.data as PreviewMessage | null;
      if (!d || typeof d !== 'object') return;
      if (d.kaowuPreview === 'navigate' && page) {
        const target = resolveLocal(page, String(d.href || ''));
        if (target && /\.html?$/i.test(target) && all[target] !== undefined) setPage(target);
        else setMessage('预览中只能打开本题文件夹中的页面（' + String(d.href || '') + '）。');
      } else if (d.kaowuPreview === 'error') {
        setMessage('页面脚本出错：' + String(d.message || '').slice(0, 300));
      }
    };
    window.addEventListener('message', onMessage);
    return () => window.removeEventListener('message', onMessage);
  }, [page, all]);

  return (
    <div class={'preview' + (large ? ' is-large' : '')}>
      <div class="preview-bar">
        <span class="preview-title">预览</span>
        {pages.length > 1 ? (
          <select
            class="preview-page"
            value={page || ''}
            onChange={(e) => setPage((e.currentTarget as HTMLSelectElement).value)}
            data-testid="preview-page"
          >
            {pages.sort().map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        ) : (
          <span class="muted small">{page}</span>
        )}
        <span class="spacer" />
        <button type="button" class="btn btn-small" onClick={() => setReloads(reloads + 1)} title="重新载入预览">
          刷新
        </button>
        <button type="button" class="btn btn-small" onClick={() => setLarge(!large)} data-testid="preview-large">
          {large ? '还原' : '放大'}
        </button>
      </div>
      {message ? (
        <div class="preview-message" data-testid="preview-message">
          {message}
        </div>
      ) : null}
      <iframe
        key={reloads}
        ref={frame}
        class="preview-frame"
        title="页面预览"
        sandbox="allow-scripts"
        srcdoc={srcdoc}
        data-testid="webpage-preview"
        data-page={page || ''}
      />
    </div>
  );
}
