// A stand-in for the candidate API with a practical paper of every task kind
// (code, webpage, case, upload), for browser tests of the client's practical
// views (test/practical-ui.e2e.test.ts) and for screenshots: it serves the
// built client at /exam/ and keeps one attempt in memory. The tests steer the
// answers it gives to 运行样例 (rate limit, grader down) and can make saves
// fail. A code run really runs python3 on the sample input (no sandbox: test
// machines only, on 127.0.0.1).

import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Answer, CheckResult, EnterResponse, Question, RunResult } from '../src/types.ts';

const DIST = fileURLToPath(new URL('../dist', import.meta.url));
const MIN = 60_000;

export const CANDIDATE = { ticketNo: '2600011000001', idNumber: '110101199003071234', name: '王小明' };
export const SITTING_ID = 'sit-practical';
export const ATTEMPT_ID = 'att-practical';

const STATEMENT_CODE = `<p>编写程序，读入若干个成绩，输出每个成绩的等级和平均分。</p>
<p><strong>输入</strong>：第一行是整数 n（1 ≤ n ≤ 100），接下来 n 行每行一个 0–100 的整数成绩。</p>
<p><strong>输出</strong>：按输入顺序，每个成绩输出一行 <code>成绩 等级</code>；最后一行输出 <code>平均分：x</code>，x 保留一位小数。</p>
<table>
<thead><tr><th>成绩</th><th>等级</th></tr></thead>
<tbody><tr><td>90–100</td><td>优秀</td></tr><tr><td>80–89</td><td>良好</td></tr><tr><td>60–79</td><td>及格</td></tr><tr><td>0–59</td><td>不及格</td></tr></tbody>
</table>
<p>等级规则写在数据文件 <code>grades.txt</code> 中，程序可以读取它，也可以直接写在代码里。</p>
<p>参考资料：<a href="https://docs.python.org/zh-cn/3/">Python 文档</a>（考试中不能访问）。</p>
`;

export function practicalQuestions(): Question[] {
  return [
    {
      id: 'q-code',
      type: 'code',
      stem: '',
      options: [],
      points: 30,
      task: {
        type: 'code',
        title: '成绩等级统计',
        statementHtml: STATEMENT_CODE,
        files: { 'main.py': '# 在这里编写代码\n', 'util.py': 'def grade(score):\n    pass\n' },
        data: [
          { path: 'grades.txt', size: 48, text: '90 优秀\n80 良好\n60 及格\n0 不及格\n' },
          { path: 'big.csv', size: 250_000 },
        ],
        entry: 'main.py',
        samples: [
          { id: 's1', name: '样例 1', stdin: '3\n95\n72\n45\n', stdout: '95 优秀\n72 及格\n45 不及格\n平均分：70.7\n' },
          { id: 's2', name: '样例 2', stdin: '1\n80\n', stdout: '80 良好\n平均分：80.0\n' },
        ],
        runnable: true,
      },
    },
    {
      id: 'q-web',
      type: 'webpage',
      stem: '',
      options: [],
      points: 25,
      task: {
        type: 'webpage',
        title: '商品库存表',
        statementHtml:
          '<p>完善 <code>index.html</code>、<code>style.css</code> 和 <code>app.js</code>，制作一个商品库存页面：</p>\n<ol>\n<li>一级标题为“商品库存”，颜色为红色；</li>\n<li>用 <code>app.js</code> 把 <code>ITEMS</code> 中的商品逐行填入表格。</li>\n</ol>\n',
        files: {
          'index.html':
            '<!doctype html>\n<html lang="zh-CN">\n<head>\n  <meta charset="utf-8">\n  <title>商品库存</title>\n  <link rel="stylesheet" href="style.css">\n  <script src="app.js" defer></script>\n</head>\n<body>\n  <h1>商品库存</h1>\n  <table id="stock">\n    <thead><tr><th>商品</th><th>数量</th></tr></thead>\n    <tbody></tbody>\n  </table>\n</body>\n</html>\n',
          'style.css': 'body { font-family: sans-serif; }\ntable { border-collapse: collapse; }\ntd, th { border: 1px solid #999; padding: 4px 10px; }\n',
          'app.js':
            "var ITEMS = [['苹果', 30], ['牛奶', 12], ['面包', 8]];\nvar body = document.querySelector('#stock tbody');\nITEMS.forEach(function (it) {\n  var tr = document.createElement('tr');\n  tr.innerHTML = '<td>' + it[0] + '</td><td>' + it[1] + '</td>';\n  body.appendChild(tr);\n});\n",
        },
        data: [],
        entry: 'main.py',
        samples: [{ id: 'p1', name: '表格行数（样例）', description: '页面加载后表格中有 3 行商品' }],
        runnable: true,
      },
    },
    {
      id: 'q-case',
      type: 'case',
      stem: '',
      options: [],
      points: 25,
      task: {
        type: 'case',
        title: '成绩管理程序的健壮性',
        statementHtml:
          '<p>某学校的成绩管理程序经常因为输入错误而崩溃，下面是出错时的日志：</p>\n<pre><code>Traceback (most recent call last):\n  File "main.py", line 3, in &lt;module&gt;\n    score = int(input())\nValueError: invalid literal for int() with base 10: \'九十\'\n</code></pre>\n<p>请分析：</p>\n<ol>\n<li>程序崩溃的直接原因是什么？</li>\n<li>应当如何改进，使程序能够处理错误的输入？请给出关键代码。</li>\n</ol>\n',
        files: {},
        data: [],
        entry: 'main.py',
        samples: [],
        runnable: false,
      },
    },
    {
      id: 'q-upload',
      type: 'upload',
      stem: '',
      options: [],
      points: 20,
      task: {
        type: 'upload',
        title: '上传项目',
        statementHtml: '<p>上传一个 zip 压缩包，其中包含 <code>app/hello.py</code>，定义函数 <code>hello()</code> 返回字符串 <code>"hello"</code>。</p>\n',
        files: {},
        data: [],
        entry: 'main.py',
        samples: [],
        runnable: false,
        maxUploadKb: 64,
      },
    },
  ];
}

export type RunMode = 'run' | 'rate-limited' | 'unavailable';

export interface MockServer {
  base: string;
  /** question id → the answer the server holds */
  answers: Record<string, { answer: Answer; seq: number }>;
  /** every API request: "METHOD /path" */
  requests: string[];
  /** the types of the events posted */
  events: string[];
  /** what the next runs answer (shifted one per run); empty → really run */
  runModes: RunMode[];
  /** saves answer 503 while true */
  failSaves: boolean;
  /** a run answers after this long at least */
  runDelayMs: number;
  submittedAt: string | null;
  close(): Promise<void>;
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}

function error(res: http.ServerResponse, status: number, code: string, message: string, extra: Record<string, unknown> = {}): void {
  json(res, status, { error: { code, message, ...extra } });
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css' };

function runPython(files: Record<string, string>, entry: string, stdin: string): { stdout: string; stderr: string; status: number | null; ms: number } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaowu-mock-run-'));
  try {
    for (const [p, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
      fs.writeFileSync(path.join(dir, p), text);
    }
    const t0 = Date.now();
    const r = spawnSync('python3', [entry], { cwd: dir, input: stdin, encoding: 'utf8', timeout: 30_000, env: { PATH: process.env.PATH, PYTHONIOENCODING: 'utf-8' } });
    return { stdout: r.stdout ?? '', stderr: r.stderr ?? '', status: r.status, ms: Date.now() - t0 };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function runTask(q: Question, files: Record<string, string>): RunResult {
  const task = q.task!;
  const checks: CheckResult[] = [];
  if (task.type === 'webpage') {
    const rows = ((files['app.js'] || '').match(/\[\s*'/g) || []).length;
    checks.push({
      id: 'p1', name: '表格行数（样例）', sample: true, points: 5, timeMs: 420,
      verdict: rows === 3 ? 'passed' : 'failed', earned: rows === 3 ? 5 : 0,
      message: rows === 3 ? '通过' : `表格中应有 3 行，实际 ${rows} 行`,
    });
  } else {
    for (const s of task.samples) {
      const r = runPython(files, task.entry, s.stdin || '');
      const ok = r.status === 0 && r.stdout.trim() === (s.stdout || '').trim();
      const verdict = r.status !== 0 ? 'error' : ok ? 'passed' : 'failed';
      checks.push({
        id: s.id, name: s.name, sample: true, points: 5, earned: ok ? 5 : 0, verdict, timeMs: r.ms,
        message: verdict === 'passed' ? '通过' : verdict === 'error' ? '程序运行出错（退出码 ' + r.status + '）' : '输出与预期不符\n预期输出：\n' + s.stdout + '\n实际输出：\n' + r.stdout,
        stdout: r.stdout, stderr: r.stderr,
      });
    }
  }
  return { taskId: q.id, samplesOnly: true, earned: checks.reduce((n, c) => n + c.earned, 0), max: checks.length * 5, sandboxMs: 500, checks };
}

/** What the mock uses of the `ws` package (no types here). */
interface WsServer {
  handleUpgrade(req: http.IncomingMessage, socket: unknown, head: Buffer, cb: (ws: { on(e: 'message', fn: () => void): void; send(s: string): void }) => void): void;
  close(): void;
}
const { WebSocketServer } = createRequire(import.meta.url)('ws') as { WebSocketServer: new (opts: { noServer: true }) => WsServer };

export async function startMockServer(opts: { durationMin?: number } = {}): Promise<MockServer> {
  const questions = practicalQuestions();
  const startsAt = Date.now() - MIN;
  const endsAt = startsAt + (opts.durationMin ?? 60) * MIN;
  const iso = (ms: number) => new Date(ms).toISOString();
  const state: MockServer = {
    base: '',
    answers: {},
    requests: [],
    events: [],
    runModes: [],
    failSaves: false,
    runDelayMs: 300,
    submittedAt: null,
    close: async () => {},
  };
  const token = 'mock-token';

  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url || '/', 'http://x');
      const p = url.pathname;
      if (p.startsWith('/exam')) {
        let file = path.join(DIST, p.slice('/exam'.length));
        if (!file.startsWith(DIST) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) file = path.join(DIST, 'index.html');
        res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
        res.end(fs.readFileSync(file));
        return;
      }
      if (!p.startsWith('/api/')) return error(res, 404, 'NOT_FOUND', '不存在');
      state.requests.push(`${req.method} ${p}`);
      if (p === '/api/time') return json(res, 200, { serverNow: iso(Date.now()) });
      if (p === '/api/candidate/login' && req.method === 'POST') {
        const b = JSON.parse((await readBody(req)).toString('utf8') || '{}');
        if (b.ticketNo !== CANDIDATE.ticketNo || b.idNumber !== CANDIDATE.idNumber) return error(res, 401, 'INVALID_CREDENTIALS', '准考证号或身份证号不正确');
        return json(res, 200, {
          token,
          candidate: { name: CANDIDATE.name, ticketNo: CANDIDATE.ticketNo, level: 'junior' },
          sittings: [{ id: SITTING_ID, name: 'Python 程序开发 初级 实操考试', paper: 'practical', startsAt: iso(startsAt), endsAt: iso(endsAt), state: state.submittedAt ? 'submitted' : 'open' }],
        });
      }
      if (req.headers.authorization !== 'Bearer ' + token) return error(res, 401, 'UNAUTHORIZED', '请先登录');
      if (p === `/api/candidate/sittings/${SITTING_ID}/attempt` && req.method === 'POST') {
        if (state.submittedAt) return error(res, 409, 'ALREADY_SUBMITTED', '您已交卷', { submittedAt: state.submittedAt });
        const body: EnterResponse = {
          attemptId: ATTEMPT_ID,
          serverNow: iso(Date.now()),
          startsAt: iso(startsAt),
          endsAt: iso(endsAt),
          deadline: iso(endsAt),
          sitting: { id: SITTING_ID, name: 'Python 程序开发 初级 实操考试', paper: 'practical', level: 'junior' },
          candidate: { name: CANDIDATE.name, ticketNo: CANDIDATE.ticketNo },
          rules: { submitOpensAt: iso(startsAt), submitClosesAt: iso(endsAt), warningAt: iso(endsAt - 5 * MIN), fullscreenRequired: false, fullscreenWarnings: 0 },
          fullscreenExits: 0,
          questions,
          answers: state.answers,
        };
        return json(res, 200, body);
      }
      const m = /^\/api\/candidate\/attempts\/([^/]+)\/(answers|questions)\/([^/]+)(?:\/(run|upload))?$/.exec(p);
      if (m && m[1] === ATTEMPT_ID) {
        const qid = decodeURIComponent(m[3]!);
        const q = questions.find((x) => x.id === qid);
        if (!q) return error(res, 404, 'QUESTION_NOT_IN_PAPER', '本试卷没有这道题');
        if (state.submittedAt) return error(res, 409, 'ALREADY_SUBMITTED', '您已交卷', { submittedAt: state.submittedAt });
        if (m[2] === 'answers' && req.method === 'PUT') {
          const b = JSON.parse((await readBody(req)).toString('utf8'));
          if (state.failSaves) return error(res, 503, 'UNAVAILABLE', '服务器繁忙，请稍候');
          const cur = state.answers[qid];
          if (!cur || b.seq > cur.seq) state.answers[qid] = { answer: b.answer, seq: b.seq };
          return json(res, 200, { seq: state.answers[qid]!.seq, savedAt: iso(Date.now()) });
        }
        if (m[4] === 'run' && req.method === 'POST') {
          const b = JSON.parse((await readBody(req)).toString('utf8'));
          const mode = state.runModes.shift() || 'run';
          await new Promise((r) => setTimeout(r, state.runDelayMs));
          if (mode === 'rate-limited') return error(res, 429, 'RUN_RATE_LIMITED', '运行太频繁，请稍后再试', { retryAfterSec: 7 });
          if (mode === 'unavailable') return error(res, 503, 'GRADER_UNAVAILABLE', '评测服务暂时不可用');
          return json(res, 200, { result: runTask(q, b.files || {}) });
        }
        if (m[4] === 'upload' && req.method === 'PUT') {
          const buf = await readBody(req);
          const seq = Number(url.searchParams.get('seq'));
          const name = url.searchParams.get('name') || 'upload.zip';
          if (buf.length > (q.task?.maxUploadKb ?? 2048) * 1024) return error(res, 413, 'UPLOAD_TOO_LARGE', '文件超过了上传上限');
          if (buf.subarray(0, 4).toString('latin1') !== 'PK\x03\x04') return error(res, 400, 'INVALID_ZIP', '上传的文件不是有效的 zip 压缩包');
          const upload = { id: 'up-' + seq, name, size: buf.length, sha256: crypto.createHash('sha256').update(buf).digest('hex') };
          const cur = state.answers[qid];
          if (!cur || seq > cur.seq) state.answers[qid] = { answer: { upload }, seq };
          return json(res, 200, { seq: state.answers[qid]!.seq, savedAt: iso(Date.now()), upload });
        }
      }
      if (p === `/api/candidate/attempts/${ATTEMPT_ID}/events`) {
        state.events.push(JSON.parse((await readBody(req)).toString('utf8')).type);
        return json(res, 200, { recorded: true, action: 'none' });
      }
      if (p === `/api/candidate/attempts/${ATTEMPT_ID}/status`) {
        return json(res, 200, { state: state.submittedAt ? 'submitted' : 'in_progress', deadline: iso(endsAt), serverNow: iso(Date.now()), ...(state.submittedAt ? { submittedAt: state.submittedAt } : {}) });
      }
      if (p === `/api/candidate/attempts/${ATTEMPT_ID}/submit` && req.method === 'POST') {
        if (state.submittedAt) return error(res, 409, 'ALREADY_SUBMITTED', '您已交卷', { submittedAt: state.submittedAt });
        state.submittedAt = iso(Date.now());
        return json(res, 200, { submittedAt: state.submittedAt });
      }
      return error(res, 404, 'NOT_FOUND', '不存在');
    } catch (e) {
      error(res, 500, 'INTERNAL', String(e));
    }
  });
  // The live link (GET /api/candidate/live): answers ready and never tells of a change.
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req: http.IncomingMessage, socket: { destroy(): void }, head: Buffer) => {
    if (!(req.url || '').startsWith('/api/candidate/live')) return socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => ws.on('message', () => ws.send(JSON.stringify({ type: 'ready' }))));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      wss.close();
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}

/** A minimal valid zip (one stored file), for upload tests. */
export function tinyZip(name = 'app/hello.py', text = "def hello():\n    return 'hello'\n"): Buffer {
  const data = Buffer.from(text, 'utf8');
  const fname = Buffer.from(name, 'utf8');
  const crc = crc32(data);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(0x0800, 6); // UTF-8 names
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(fname.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(0x0800, 8);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(fname.length, 28);
  const localSize = local.length + fname.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + fname.length, 12);
  end.writeUInt32LE(localSize, 16);
  return Buffer.concat([local, fname, data, central, fname, end]);
}

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}
