import type { HttpClient } from './http-client.ts';
import type { Recorder } from './stats.ts';

export const SINGLE = 0;
export const MULTIPLE = 1;
export const TRUEFALSE = 2;

/** A candidate who has entered: what the client needs to save answers. */
export interface Entered {
  index: number;
  ticketNo: string;
  authorization: string;
  attemptId: string;
  questionIds: string[];
  types: Uint8Array;
  optionIds: string[][];
}

/** The entry response, reduced to what the load needs. */
export function readAttempt(index: number, ticketNo: string, authorization: string, body: string): Entered {
  const a = JSON.parse(body) as { attemptId: string; questions: { id: string; type: string; options: { id: string }[] }[] };
  const types = new Uint8Array(a.questions.length);
  a.questions.forEach((q, i) => (types[i] = q.type === 'single' ? SINGLE : q.type === 'multiple' ? MULTIPLE : TRUEFALSE));
  return {
    index,
    ticketNo,
    authorization,
    attemptId: a.attemptId,
    questionIds: a.questions.map((q) => q.id),
    types,
    optionIds: a.questions.map((q) => q.options.map((o) => o.id)),
  };
}

export interface LostReport {
  /** Acknowledged (candidate, question) pairs compared with the database. */
  checked: number;
  lost: number;
  examples: string[];
}

/**
 * Drives answer saves for a set of entered candidates against one server and
 * remembers, per candidate and question, the last acknowledged (seq, answer).
 * `seq` rises by one at every change, per question, as the exam client does.
 */
export class SaveModel {
  private readonly seqs: Uint32Array[];
  private readonly ackSeq: Uint32Array[];
  private readonly ackAnswer: (string | undefined)[][];
  /** Replies whose seq was lower than the one sent: the contract says this cannot happen. */
  anomalies = 0;

  constructor(
    readonly candidates: Entered[],
    private readonly client: HttpClient,
    private readonly pathOf: (c: Entered, questionId: string) => string,
    private readonly random: () => number,
  ) {
    this.seqs = candidates.map((c) => new Uint32Array(c.questionIds.length));
    this.ackSeq = candidates.map((c) => new Uint32Array(c.questionIds.length));
    this.ackAnswer = candidates.map((c) => new Array<string | undefined>(c.questionIds.length));
  }

  /** One save by candidate `k` (an index into `candidates`) of a random question. */
  async save(k: number, rec: Recorder): Promise<void> {
    const c = this.candidates[k]!;
    const nq = c.questionIds.length;
    if (nq === 0) return;
    const q = Math.floor(this.random() * nq);
    const answer = this.answerFor(c, q);
    const seq = ++this.seqs[k]![q]!;
    const r = await this.client.send('PUT', this.pathOf(c, c.questionIds[q]!), `{"answer":${answer},"seq":${seq}}`, c.authorization);
    if (!rec.record(r)) return;
    let stored: number;
    try {
      stored = (JSON.parse(r.body) as { seq: number }).seq;
    } catch {
      this.anomalies++;
      return;
    }
    if (stored < seq) {
      this.anomalies++;
      return;
    }
    // Acknowledged: the server promises that the stored seq is now >= seq.
    if (seq > this.ackSeq[k]![q]!) {
      this.ackSeq[k]![q] = seq;
      this.ackAnswer[k]![q] = answer;
    }
  }

  private answerFor(c: Entered, q: number): string {
    const opts = c.optionIds[q]!;
    switch (c.types[q]) {
      case SINGLE:
        return JSON.stringify(opts[Math.floor(this.random() * opts.length)]);
      case MULTIPLE: {
        const i = Math.floor(this.random() * opts.length);
        let j = Math.floor(this.random() * (opts.length - 1));
        if (j >= i) j++;
        return JSON.stringify(opts.length > 1 ? [opts[i], opts[j]] : [opts[i]]);
      }
      default:
        return this.random() < 0.5 ? 'true' : 'false';
    }
  }

  get acknowledgedPairs(): number {
    let n = 0;
    for (const a of this.ackSeq) for (const s of a) if (s > 0) n++;
    return n;
  }

  /**
   * Compares every acknowledged answer with the stored rows (key
   * `attemptId \0 questionId`): a stored seq below the acknowledged one, or
   * the same seq with another answer, is a lost answer.
   */
  verify(stored: Map<string, { answer: string; seq: number }>): LostReport {
    let checked = 0;
    let lost = 0;
    const examples: string[] = [];
    this.candidates.forEach((c, k) => {
      const acks = this.ackSeq[k]!;
      for (let q = 0; q < acks.length; q++) {
        const seq = acks[q]!;
        if (seq === 0) continue;
        checked++;
        const row = stored.get(`${c.attemptId}\u0000${c.questionIds[q]}`);
        const want = this.ackAnswer[k]![q]!;
        let problem: string | null = null;
        if (!row) problem = 'missing';
        else if (row.seq < seq) problem = `stored seq ${row.seq} < acknowledged ${seq}`;
        else if (row.seq === seq && canonical(row.answer) !== want) problem = `seq ${seq}: stored ${row.answer}, acknowledged ${want}`;
        if (problem) {
          lost++;
          if (examples.length < 5) examples.push(`${c.ticketNo} ${c.questionIds[q]}: ${problem}`);
        }
      }
    });
    return { checked, lost, examples };
  }
}

function canonical(json: string): string {
  try {
    return JSON.stringify(JSON.parse(json));
  } catch {
    return json;
  }
}
