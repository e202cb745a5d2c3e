/**
 * The baseline for bench/delivery.ts: the least a server can do for an answer
 * save — node:http, one route, one prepared upsert into a table shaped like
 * `answers`, in a fresh SQLite file with the real server's settings (WAL,
 * synchronous=NORMAL; see packages/server/src/db/database.ts).
 *
 *   PUT /answers/:attemptId/:questionId  { answer, seq }  →  { seq, savedAt }
 *   GET /health
 *
 * Env: BASELINE_DB (file), PORT. Run: node --import tsx bench/baseline-server.ts
 */
import http from 'node:http';
import SQLite from 'better-sqlite3';

const file = process.env.BASELINE_DB;
const port = Number(process.env.PORT);
if (!file || !port) throw new Error('BASELINE_DB and PORT are required');

const db = new SQLite(file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('foreign_keys = ON');
db.pragma('busy_timeout = 5000');
db.exec(`CREATE TABLE IF NOT EXISTS answers (
  attempt_id text NOT NULL,
  question_id text NOT NULL,
  answer text NOT NULL,
  seq integer NOT NULL,
  saved_at text NOT NULL,
  CONSTRAINT answers_pk PRIMARY KEY (attempt_id, question_id)
)`);

const upsert = db.prepare<[string, string, string, number, string], { seq: number; saved_at: string }>(
  `INSERT INTO answers (attempt_id, question_id, answer, seq, saved_at) VALUES (?, ?, ?, ?, ?)
   ON CONFLICT (attempt_id, question_id) DO UPDATE
     SET answer = excluded.answer, seq = excluded.seq, saved_at = excluded.saved_at
     WHERE answers.seq < excluded.seq
   RETURNING seq, saved_at`,
);
const kept = db.prepare<[string, string], { seq: number; saved_at: string }>('SELECT seq, saved_at FROM answers WHERE attempt_id = ? AND question_id = ?');

function reply(res: http.ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

const server = http.createServer((req, res) => {
  const url = req.url ?? '';
  if (req.method === 'GET' && url === '/health') return reply(res, 200, '{"status":"ok"}');
  const parts = url.split('/');
  if (req.method !== 'PUT' || parts.length !== 4 || parts[1] !== 'answers') return reply(res, 404, '{"error":{"code":"NOT_FOUND"}}');
  const attemptId = decodeURIComponent(parts[2]!);
  const questionId = decodeURIComponent(parts[3]!);
  let text = '';
  req.setEncoding('utf8');
  req.on('data', (c: string) => (text += c));
  req.on('end', () => {
    let body: { answer?: unknown; seq?: unknown };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      return reply(res, 400, '{"error":{"code":"BAD_JSON"}}');
    }
    if (typeof body.seq !== 'number' || !Number.isInteger(body.seq) || body.answer === undefined) return reply(res, 400, '{"error":{"code":"INVALID_ANSWER"}}');
    try {
      const row = upsert.get(attemptId, questionId, JSON.stringify(body.answer), body.seq, new Date().toISOString()) ?? kept.get(attemptId, questionId);
      reply(res, 200, JSON.stringify({ seq: row!.seq, savedAt: row!.saved_at }));
    } catch (err) {
      process.stderr.write(`save failed: ${(err as Error).message}\n`);
      reply(res, 500, '{"error":{"code":"INTERNAL"}}');
    }
  });
});
server.keepAliveTimeout = 65_000;
server.listen(port, '127.0.0.1');

const shutdown = () => {
  server.close();
  server.closeAllConnections();
  db.close();
  process.exit(0);
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
