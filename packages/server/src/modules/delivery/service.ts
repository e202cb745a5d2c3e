import crypto from 'node:crypto';
import type { z } from 'zod';
import { CompiledQuery, sql, type Kysely, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import {
  answerProblem, candidateSittingState, drawPaper, enterDecision, fullscreenExitAction, ipInRanges, saveAccepted,
  seededRandom, submitDecision, windows, type AnswerValue, type Level, type Paper, type CandidateSittingState, type PaperEntry,
} from '@kaowu/core';
import type { AppContext } from '../../context.ts';
import type { DB } from '../../db/schema.ts';
import { AppError, badRequest, conflict, notFound, unauthorized } from '../../http/errors.ts';
import { newId, nowIso } from '../../ids.ts';
import { parseRanges } from '../sites/room-service.ts';
import type { Sitting } from '../plans/sitting-catalog.ts';
import { shanghaiDate } from '../../time-format.ts';
import { LocalLiveBus, type LiveBus } from '../live/bus.ts';
import { finalizeAttempt, scoringPlan, type SubmitReason } from './finalize.ts';
import { PaperCache } from './attempt-paper.ts';
import { PlaceCache, type AttemptPlace } from './attempt-place.ts';
import { ANONYMOUS_CLIENT, clientMayAct, clientReplaced } from './client-id.ts';
import { presentQuestion } from './presenter.ts';
import type { attemptResponse, candidateSitting } from './schemas.ts';

const CANDIDATE_TOKEN_TTL_SEC = 12 * 3600;

export type CandidateSittingView = z.infer<typeof candidateSitting>;
export type AttemptView = z.infer<typeof attemptResponse>;

/** What identifies an attempt and its owner. */
type AttemptRef = { id: string; registration_id: string; sitting_id: string };

/** Chinese ID numbers end in a check character that may be typed as x or X. */
const normalizeIdNumber = (s: string) => s.trim().toUpperCase();

/** A candidate's seat as sign-in and the live events need it. */
type Seat = { roomId: string; restrictSignIn: number; ipRanges: string };

/** What the candidate's client shows from proctor_actions (GET …/status). */
export type CandidateMessageKind = 'broadcast' | 'auto-warning' | 'warning';
const ROOM_MESSAGES = ['broadcast', 'auto-warning'] as const;
/** Proctor actions about this candidate: a warning is shown; the others give the reason of a hand-in. */
const OWN_ACTIONS = ['warning', 'disqualify', 'force-submit'] as const;
/** The hand-ins a proctor made, and the action that carries their reason. */
const PROCTOR_SUBMITS: Partial<Record<SubmitReason, 'disqualify' | 'force-submit'>> = { disqualified: 'disqualify', proctor: 'force-submit' };

/**
 * The rules of exam day for candidates: log-in, entering a sitting, saving
 * answers, handing in, and client events. Every rule is decided on the
 * server's clock.
 */
export class DeliveryService {
  private readonly papers = new PaperCache();
  private readonly places = new PlaceCache();

  /** `live`: where seat changes are published for proctors' seat maps and candidates' clients. */
  constructor(
    private readonly ctx: AppContext,
    readonly live: LiveBus = new LocalLiveBus(),
  ) {}

  /** Locks the attempt row for the rest of the transaction (SQLite: the one connection already does). */
  private forUpdate<O>(q: SelectQueryBuilder<DB, 'attempts', O>) {
    return this.ctx.dialect === 'postgres' ? q.forUpdate() : q;
  }

  /**
   * 仅允许本考场 IP 登录: a candidate seated in a room that restricts sign-in
   * (and has IP ranges) may log in and enter only from those ranges. A refusal
   * is recorded for the proctors. No seat, or an unrestricted room: no check.
   * `ip` undefined (calls without a request, e.g. benchmarks) skips the check.
   */
  private async checkSignInAddress(registrationId: string, room: Seat | null, ip: string | undefined, sittingId: string | null) {
    if (ip === undefined) return;
    if (!room || room.restrictSignIn !== 1) return;
    const ranges = parseRanges(room.ipRanges);
    if (ranges.length === 0 || ipInRanges(ip, ranges)) return;
    await this.ctx.db
      .insertInto('sign_in_refusals')
      .values({ id: newId(), registration_id: registrationId, sitting_id: sittingId, ip, reason: 'address-not-allowed', at: nowIso(this.ctx.clock.now()) })
      .execute();
    throw new AppError(403, 'SIGN_IN_ADDRESS_NOT_ALLOWED', `当前计算机（IP ${ip}）不在本考场允许的地址范围内，请联系监考员`, { ip });
  }

  /** The candidate's seat (one per registration), with its room's sign-in rule. */
  private async seatOf(registrationId: string): Promise<Seat | null> {
    const row = await this.ctx.db
      .selectFrom('seat_assignments')
      .innerJoin('rooms', 'rooms.id', 'seat_assignments.room_id')
      .select(['rooms.id', 'rooms.restrict_sign_in', 'rooms.ip_ranges'])
      .where('seat_assignments.registration_id', '=', registrationId)
      .executeTakeFirst();
    return row ? { roomId: row.id, restrictSignIn: row.restrict_sign_in, ipRanges: row.ip_ranges } : null;
  }

  async login(ticketNo: string, idNumber: string, ip?: string) {
    const row = await this.ctx.db
      .selectFrom('registrations')
      .innerJoin('candidates', 'candidates.id', 'registrations.candidate_id')
      .select(['registrations.id', 'registrations.plan_id', 'registrations.level', 'registrations.ticket_no', 'candidates.name', 'candidates.id_number'])
      .where('registrations.ticket_no', '=', ticketNo.trim())
      .executeTakeFirst();
    if (!row || normalizeIdNumber(row.id_number) !== normalizeIdNumber(idNumber)) {
      throw unauthorized('INVALID_CREDENTIALS', '准考证号或身份证号不正确');
    }
    const seat = await this.seatOf(row.id);
    await this.checkSignInAddress(row.id, seat, ip, null);
    const now = this.ctx.clock.now();
    // The seat map shows a candidate who logged in and has not entered as 候考.
    await this.ctx.db.updateTable('registrations').set({ last_login_at: nowIso(now), last_login_ip: ip ?? null }).where('id', '=', row.id).execute();
    const sittings = await this.sittingsOf(row.id, row.plan_id, row.level);
    const today = shanghaiDate(now);
    for (const s of sittings) {
      if (shanghaiDate(Date.parse(s.startsAt)) === today) this.live.publish({ sittingId: s.id, roomId: seat?.roomId ?? null, registrationId: row.id, kind: 'login' });
    }
    return {
      token: this.ctx.tokens.sign('candidate', row.id, CANDIDATE_TOKEN_TTL_SEC, now),
      candidate: { name: row.name, ticketNo: row.ticket_no, level: row.level },
      sittings,
    };
  }

  async sittingsOf(registrationId: string, planId: string, level: Level): Promise<CandidateSittingView[]> {
    const now = this.ctx.clock.now();
    const rows = await this.ctx.db
      .selectFrom('sittings')
      .select(['id'])
      .where('plan_id', '=', planId)
      .where('level', '=', level)
      .orderBy('starts_at')
      .execute();
    const attempts = await this.ctx.db
      .selectFrom('attempts')
      .select(['sitting_id', 'state', 'deadline_at'])
      .where('registration_id', '=', registrationId)
      .execute();
    const out: CandidateSittingView[] = [];
    for (const r of rows) {
      const s = await this.ctx.sittings.sitting(r.id, now);
      if (!s) continue;
      const a = attempts.find((x) => x.sitting_id === s.id);
      out.push({
        id: s.id,
        name: s.name,
        paper: s.paper,
        startsAt: nowIso(s.startsAt),
        endsAt: nowIso(s.endsAt),
        state: candidateSittingState(s, s.rules, now, a ? { submitted: a.state === 'submitted', deadline: Date.parse(a.deadline_at) } : null),
      });
    }
    return out;
  }

  private async registration(registrationId: string) {
    const reg = await this.ctx.db
      .selectFrom('registrations')
      .innerJoin('candidates', 'candidates.id', 'registrations.candidate_id')
      .select(['registrations.id', 'registrations.plan_id', 'registrations.level', 'registrations.ticket_no', 'candidates.name'])
      .where('registrations.id', '=', registrationId)
      .executeTakeFirst();
    if (!reg) throw unauthorized('INVALID_TOKEN', '登录已失效，请重新登录');
    return reg;
  }

  /**
   * Enters the sitting, or resumes this candidate's attempt. The first client
   * to enter takes the attempt; another one waits for a proctor's approval
   * (409 SWITCH_PENDING) — see claim().
   */
  async enter(registrationId: string, sittingId: string, ip?: string, client: string = ANONYMOUS_CLIENT): Promise<AttemptView> {
    const reg = await this.registration(registrationId);
    const now = this.ctx.clock.now();
    const sitting = await this.ctx.sittings.sitting(sittingId, now);
    if (!sitting || sitting.planId !== reg.plan_id || sitting.level !== reg.level) {
      throw notFound('SITTING_NOT_FOUND', '没有找到该场次，或您未报考该场次');
    }
    const seat = await this.seatOf(registrationId);
    await this.checkSignInAddress(registrationId, seat, ip, sittingId);
    let attempt = await this.findAttempt(sittingId, registrationId);
    const decision = enterDecision(sitting, sitting.rules, now, attempt !== undefined);
    if (decision === 'NOT_STARTED') {
      throw conflict('NOT_STARTED', '考试尚未开始，请在候考室等待', { startsAt: nowIso(sitting.startsAt), serverNow: nowIso(now) });
    }
    if (decision === 'ENTRY_CLOSED') {
      throw conflict('ENTRY_CLOSED', `开考 ${sitting.rules.lateEntryMin} 分钟后不得入场，您已不能进入本场考试`);
    }
    if (attempt && attempt.state === 'in_progress' && now >= Date.parse(attempt.finalize_at)) {
      await this.finalize(attempt, Date.parse(attempt.deadline_at), 'deadline');
      attempt = await this.findAttempt(sittingId, registrationId);
    }
    if (attempt?.state === 'submitted') {
      const reason = attempt.submit_reason;
      const note = reason ? await this.proctorNote(attempt.sitting_id, registrationId, reason) : undefined;
      throw conflict('ALREADY_SUBMITTED', '您已交卷', {
        submittedAt: attempt.submitted_at,
        ...(reason ? { submitReason: reason } : {}),
        ...(note ? { submitNote: note } : {}),
      });
    }
    if (!attempt) attempt = await this.createAttempt(sitting, registrationId, now, client);
    const place = this.places.put(attempt.id, { sittingId, registrationId, roomId: seat?.roomId ?? null });
    if (attempt.client_id !== client) await this.claim(attempt, place, client, ip);
    if (!this.papers.get(attempt.id)) this.papers.put(attempt.id, registrationId, attempt.paper);

    const paper = JSON.parse(attempt.paper) as PaperEntry[];
    const questions = await this.ctx.questions.many(paper.map((e) => e.questionId));
    const answerRows = await this.ctx.db
      .selectFrom('answers')
      .select(['question_id', 'answer', 'seq'])
      .where('attempt_id', '=', attempt.id)
      .execute();
    const answers: AttemptView['answers'] = {};
    for (const a of answerRows) answers[a.question_id] = { answer: JSON.parse(a.answer) as AnswerValue, seq: a.seq };
    const deadline = Date.parse(attempt.deadline_at);
    const w = windows(sitting, sitting.rules, deadline);
    this.publish(place, 'enter');
    return {
      attemptId: attempt.id,
      serverNow: nowIso(this.ctx.clock.now()),
      startsAt: nowIso(sitting.startsAt),
      endsAt: nowIso(sitting.endsAt),
      deadline: attempt.deadline_at,
      sitting: { id: sitting.id, name: sitting.name, paper: sitting.paper, level: sitting.level },
      candidate: { name: reg.name, ticketNo: reg.ticket_no },
      rules: {
        submitOpensAt: nowIso(w.submitOpensAt),
        submitClosesAt: nowIso(w.submitClosesAt),
        warningAt: nowIso(w.warningAt),
        fullscreenRequired: sitting.paper === 'theory' && sitting.rules.fullscreenRequired,
        fullscreenWarnings: sitting.rules.fullscreenWarnings,
      },
      fullscreenExits: attempt.fullscreen_exits,
      questions: paper.flatMap((e) => {
        const q = questions.get(e.questionId);
        return q ? [presentQuestion(q, e)] : [];
      }),
      answers,
    };
  }

  /**
   * One client per attempt (docs/proctoring.md). Returns when `client` may go
   * on: it took an attempt no client held. Otherwise the attempt belongs to
   * another client: 409 SWITCH_REJECTED when a proctor refused this client's
   * latest request, else 409 SWITCH_PENDING — after recording the request
   * (one pending per attempt; a newer machine's request supersedes an older
   * one, which is closed as rejected), an attempt_events row `second-client`,
   * and a live event for the proctors. Asking again while pending changes
   * nothing. Once a proctor approves, attempts.client_id is this client's and
   * enter() does not come here.
   */
  private async claim(attempt: { id: string; client_id: string | null; state: string }, place: AttemptPlace, client: string, ip: string | undefined): Promise<void> {
    if (attempt.client_id === null) {
      const took = await this.ctx.db.updateTable('attempts').set({ client_id: client }).where('id', '=', attempt.id).where('client_id', 'is', null).executeTakeFirst();
      if (Number(took.numUpdatedRows) === 1) return;
      const held = await this.ctx.db.selectFrom('attempts').select('client_id').where('id', '=', attempt.id).executeTakeFirstOrThrow();
      if (held.client_id === client) return;
    }
    const latest = await this.ctx.db
      .selectFrom('machine_switches')
      .select(['state', 'reason'])
      .where('attempt_id', '=', attempt.id)
      .where('client_id', '=', client)
      .orderBy('requested_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (latest?.state === 'rejected') throw switchRejected(latest.reason);
    // The waiting machine asks every 2 s: its request stands (superseded ones are closed as rejected).
    if (latest?.state === 'pending') throw switchPending();
    const at = nowIso(this.ctx.clock.now());
    const requested = await this.ctx.db.transaction().execute(async (trx) => {
      const current = await this.forUpdate(trx.selectFrom('attempts').select(['client_id', 'state']).where('id', '=', attempt.id)).executeTakeFirstOrThrow();
      if (current.client_id === client) return 'approved' as const; // approved meanwhile
      const pending = await trx.selectFrom('machine_switches').select(['id', 'client_id']).where('attempt_id', '=', attempt.id).where('state', '=', 'pending').execute();
      if (pending.some((p) => p.client_id === client)) return 'already' as const;
      if (pending.length > 0) {
        await trx
          .updateTable('machine_switches')
          .set({ state: 'rejected', decided_at: at, reason: '已被另一台计算机的换机申请取代' })
          .where('attempt_id', '=', attempt.id)
          .where('state', '=', 'pending')
          .execute();
      }
      await trx.insertInto('machine_switches').values({ id: newId(), attempt_id: attempt.id, client_id: client, ip: ip ?? null, state: 'pending', requested_at: at, decided_by: null, decided_at: null, reason: null }).execute();
      await trx.insertInto('attempt_events').values({ id: newId(), attempt_id: attempt.id, type: 'second-client', client_at: null, server_at: at, detail: ip ?? null }).execute();
      return 'requested' as const;
    });
    if (requested === 'approved') return;
    if (requested === 'requested') this.publish(place, 'switch-request');
    throw switchPending();
  }

  private findAttempt(sittingId: string, registrationId: string) {
    return this.ctx.db
      .selectFrom('attempts')
      .selectAll()
      .where('sitting_id', '=', sittingId)
      .where('registration_id', '=', registrationId)
      .executeTakeFirst();
  }

  /** Draws the candidate's paper and stores it; a concurrent second entry keeps the first paper. */
  private async createAttempt(sitting: Sitting, registrationId: string, now: number, client: string) {
    const spec = await this.ctx.sittings.blueprint(sitting.blueprintId);
    const pool = await this.ctx.questions.pool(sitting.certificateId, sitting.level, now);
    const seed = crypto.randomBytes(12).toString('base64url');
    const paper = drawPaper(spec, pool, seededRandom(seed));
    const deadline = sitting.endsAt;
    await this.ctx.db
      .insertInto('attempts')
      .values({
        id: newId(),
        sitting_id: sitting.id,
        registration_id: registrationId,
        paper: JSON.stringify(paper),
        state: 'in_progress',
        started_at: nowIso(now),
        deadline_at: nowIso(deadline),
        finalize_at: nowIso(windows(sitting, sitting.rules, deadline).finalizeAt),
        extension_sec: 0,
        fullscreen_exits: 0,
        client_id: client,
      })
      .onConflict((oc) => oc.columns(['sitting_id', 'registration_id']).doNothing())
      .execute();
    const attempt = await this.findAttempt(sitting.id, registrationId);
    if (!attempt) throw new Error('attempt vanished after insert');
    return attempt;
  }

  /**
   * The attempt when it is this candidate's, without its paper (a few KB the
   * status poll does not need); locked for update when inside a transaction.
   * With `client`: 409 CLIENT_REPLACED when another client holds the attempt.
   */
  async ownAttempt(db: Kysely<DB>, registrationId: string, attemptId: string, lock = false, client?: string) {
    const query = db
      .selectFrom('attempts')
      .select(['id', 'registration_id', 'sitting_id', 'state', 'deadline_at', 'finalize_at', 'submitted_at', 'submit_reason', 'fullscreen_exits', 'client_id'])
      .where('id', '=', attemptId);
    const attempt = await (lock ? this.forUpdate(query) : query).executeTakeFirst();
    if (!attempt || attempt.registration_id !== registrationId) throw notFound('ATTEMPT_NOT_FOUND', '没有找到该作答记录');
    if (client !== undefined && !clientMayAct(attempt.client_id, client)) throw clientReplaced();
    return attempt;
  }

  /**
   * The attempt's sitting, candidate and room: cached per attempt, so the room
   * is looked up once (at entry, or here). null for an unknown attempt.
   */
  async placeOf(attemptId: string, known?: { sitting_id: string; registration_id: string }): Promise<AttemptPlace | null> {
    const hit = this.places.get(attemptId);
    if (hit) return hit;
    let ref = known;
    if (!ref) {
      ref = await this.ctx.db.selectFrom('attempts').select(['sitting_id', 'registration_id']).where('id', '=', attemptId).executeTakeFirst();
      if (!ref) return null;
    }
    const seat = await this.ctx.db.selectFrom('seat_assignments').select('room_id').where('registration_id', '=', ref.registration_id).executeTakeFirst();
    return this.places.put(attemptId, { sittingId: ref.sitting_id, registrationId: ref.registration_id, roomId: seat?.room_id ?? null });
  }

  /** A seat changed: proctors' seat maps (and this candidate's other listeners) re-read. */
  private publish(place: AttemptPlace, kind: string): void {
    this.live.publish({ sittingId: place.sittingId, roomId: place.roomId, registrationId: place.registrationId, kind });
  }

  private async publishFor(attempt: { id: string; sitting_id: string; registration_id: string }, kind: string): Promise<void> {
    try {
      const place = await this.placeOf(attempt.id, attempt);
      if (place) this.publish(place, kind);
    } catch (err) {
      this.ctx.log.warn({ err, attemptId: attempt.id }, 'live event not published');
    }
  }

  /**
   * Saves one answer in a single guarded statement: the upsert happens only
   * while the attempt is open (and, on PostgreSQL, takes a share lock on it),
   * so a hand-in can never score without an answer it acknowledged.
   */
  async saveAnswer(registrationId: string, attemptId: string, questionId: string, answer: AnswerValue, seq: number, changedAt?: number, client: string = ANONYMOUS_CLIENT) {
    const paper = await this.paperOf(registrationId, attemptId);
    const question = paper.entries.has(questionId) ? (this.ctx.questions.cached(questionId) ?? (await this.ctx.questions.many([questionId])).get(questionId)) : undefined;
    if (!question) throw notFound('QUESTION_NOT_IN_PAPER', '该题不在您的试卷中');
    const problem = answerProblem(question, answer);
    if (problem) throw badRequest('INVALID_ANSWER', problem);
    return this.storeAnswer(attemptId, questionId, answer, seq, changedAt, client);
  }

  /**
   * The guarded upsert of an answer already checked to fit its question
   * (saves, uploads). Saves publish no live event (the seat map reads the age
   * of the last save when it re-reads).
   */
  async storeAnswer(attemptId: string, questionId: string, answer: AnswerValue, seq: number, changedAt?: number, client: string = ANONYMOUS_CLIENT) {
    const now = nowIso(this.ctx.clock.now());
    const changed = changedAt === undefined || Number.isNaN(changedAt) ? null : nowIso(changedAt);
    const { rows } = await this.ctx.db.executeQuery<{ seq: number; saved_at: string }>(
      CompiledQuery.raw(this.guardedUpsert(), [attemptId, questionId, JSON.stringify(answer), seq, now, attemptId, client, now, changed, now]),
    );
    if (rows[0]) return { seq: Number(rows[0].seq), savedAt: rows[0].saved_at };
    return this.explainUnsavedAnswer(attemptId, questionId, changedAt, client);
  }

  private guardedUpsertSql?: string;
  /**
   * The save statement, compiled once: it runs a thousand times a second on
   * exam day. Parameters: attempt, question, answer, seq, now, attempt,
   * client, now, changedAt, now. The attempt must be open and held by this
   * client (or by none: attempts from before clients were tracked), so no
   * write of a replaced client lands after a machine switch.
   */
  private guardedUpsert(): string {
    const p = (): RawBuilder<unknown> => sql`${null}`;
    this.guardedUpsertSql ??= sql`
      insert into answers (attempt_id, question_id, answer, seq, saved_at)
      select ${p()}, ${p()}, ${p()}, cast(${p()} as integer), ${p()}
      where exists (
        select 1 from attempts
        where id = ${p()} and (client_id = ${p()} or client_id is null) and state = 'in_progress'
          and (deadline_at > ${p()} or (${p()} < deadline_at and finalize_at >= ${p()}))
        ${this.ctx.dialect === 'postgres' ? sql`for share` : sql``}
      )
      on conflict (attempt_id, question_id) do update
        set answer = excluded.answer, seq = excluded.seq, saved_at = excluded.saved_at
        where answers.seq < excluded.seq
      returning seq, saved_at`.compile(this.ctx.db).sql;
    return this.guardedUpsertSql;
  }

  /** Why the guarded upsert wrote nothing: another client holds the attempt, it is closed, or a newer change is stored. */
  private async explainUnsavedAnswer(attemptId: string, questionId: string, changedAt: number | undefined, client: string) {
    const attempt = await this.ctx.db.selectFrom('attempts').select(['state', 'deadline_at', 'finalize_at', 'client_id']).where('id', '=', attemptId).executeTakeFirstOrThrow();
    if (!clientMayAct(attempt.client_id, client)) throw clientReplaced();
    if (attempt.state === 'submitted') throw conflict('ALREADY_SUBMITTED', '您已交卷，不能再修改答案');
    const deadline = Date.parse(attempt.deadline_at);
    const graceSec = (Date.parse(attempt.finalize_at) - deadline) / 1000;
    if (!saveAccepted({ saveGraceSec: graceSec }, deadline, this.ctx.clock.now(), changedAt)) {
      throw conflict('TIME_OVER', '考试时间已到，答案不能再修改');
    }
    // An older or repeated change: acknowledged, and the newer stored one wins.
    const kept = await this.ctx.db
      .selectFrom('answers')
      .select(['seq', 'saved_at'])
      .where('attempt_id', '=', attemptId)
      .where('question_id', '=', questionId)
      .executeTakeFirstOrThrow();
    return { seq: Number(kept.seq), savedAt: kept.saved_at };
  }

  /** The attempt's paper, checked to be this candidate's (both never change, so they are cached). */
  async paperOf(registrationId: string, attemptId: string) {
    let paper = this.papers.get(attemptId);
    if (!paper) {
      const row = await this.ctx.db.selectFrom('attempts').select(['registration_id', 'paper']).where('id', '=', attemptId).executeTakeFirst();
      if (!row) throw notFound('ATTEMPT_NOT_FOUND', '没有找到该作答记录');
      paper = this.papers.put(attemptId, row.registration_id, row.paper);
    }
    if (paper.registrationId !== registrationId) throw notFound('ATTEMPT_NOT_FOUND', '没有找到该作答记录');
    return paper;
  }

  async submit(registrationId: string, attemptId: string, client: string = ANONYMOUS_CLIENT) {
    const attempt = await this.ownAttempt(this.ctx.db, registrationId, attemptId, false, client);
    const sitting = await this.ctx.sittings.sitting(attempt.sitting_id);
    if (!sitting) throw notFound('SITTING_NOT_FOUND', '没有找到该场次');
    const plan = await this.scoringPlanOf(attempt);
    const done = await this.ctx.db.transaction().execute(async (trx) => {
      const current = await this.ownAttempt(trx, registrationId, attemptId, true, client);
      if (current.state === 'submitted') throw conflict('ALREADY_SUBMITTED', '您已交卷', { submittedAt: current.submitted_at });
      const now = this.ctx.clock.now();
      const deadline = Date.parse(current.deadline_at);
      const w = windows(sitting, sitting.rules, deadline);
      switch (submitDecision(sitting, sitting.rules, deadline, now)) {
        case 'SUBMIT_TOO_EARLY':
          throw conflict('SUBMIT_TOO_EARLY', `开考 ${sitting.rules.earliestSubmitMin} 分钟内不能交卷`, { submitOpensAt: nowIso(w.submitOpensAt) });
        case 'SUBMIT_CLOSED':
          throw conflict('SUBMIT_CLOSED', `考试结束前 ${sitting.rules.finalLockMin} 分钟内不能交卷，系统将在结束时自动提交`);
        case 'TIME_OVER':
          throw conflict('TIME_OVER', '考试时间已到，试卷将由系统自动提交');
        case 'OK':
          break;
      }
      await finalizeAttempt(trx, attemptId, plan, now, 'candidate');
      return { submittedAt: nowIso(now) };
    });
    await this.publishFor(attempt, 'submit');
    return done;
  }

  async recordEvent(registrationId: string, attemptId: string, type: string, clientAt: string | undefined, detail: string | undefined, client: string = ANONYMOUS_CLIENT) {
    const attempt = await this.ownAttempt(this.ctx.db, registrationId, attemptId, false, client);
    const sitting = await this.ctx.sittings.sitting(attempt.sitting_id);
    const plan = type === 'fullscreen-exit' ? await this.scoringPlanOf(attempt) : null;
    const result = await this.ctx.db.transaction().execute(async (trx) => {
      const current = await this.ownAttempt(trx, registrationId, attemptId, true, client);
      const now = this.ctx.clock.now();
      await trx
        .insertInto('attempt_events')
        .values({ id: newId(), attempt_id: attemptId, type, client_at: clientAt ?? null, server_at: nowIso(now), detail: detail ?? null })
        .execute();
      const none = { recorded: true as const, action: 'none' as const };
      if (!plan || !sitting || current.state !== 'in_progress') return none;
      const exits = current.fullscreen_exits + 1;
      await trx.updateTable('attempts').set({ fullscreen_exits: exits }).where('id', '=', attemptId).execute();
      switch (fullscreenExitAction(sitting.rules, sitting.paper, exits)) {
        case 'submit':
          await finalizeAttempt(trx, attemptId, plan, now, 'fullscreen-exit');
          return { recorded: true as const, action: 'submitted' as const };
        case 'warning':
          return { recorded: true as const, action: 'warning' as const, warningsLeft: sitting.rules.fullscreenWarnings - exits };
        case 'none':
          return none;
      }
    });
    await this.publishFor(attempt, result.action === 'submitted' ? 'submit' : 'event');
    return result;
  }

  /**
   * What the client polls (every 10 s, and at once on a live event): state,
   * deadline, how and why it was handed in, and the proctors' messages. Two
   * indexed reads: the attempt, and its sitting's proctor actions.
   */
  async status(registrationId: string, attemptId: string, client: string = ANONYMOUS_CLIENT) {
    const attempt = await this.ownAttempt(this.ctx.db, registrationId, attemptId, false, client);
    const now = this.ctx.clock.now();
    let { state, submitted_at, submit_reason } = attempt;
    if (state === 'in_progress' && now >= Date.parse(attempt.finalize_at)) {
      await this.finalize(attempt, Date.parse(attempt.deadline_at), 'deadline');
      state = 'submitted';
      submitted_at = attempt.deadline_at;
      submit_reason = 'deadline';
    }
    const place = await this.placeOf(attempt.id, attempt);
    const actions = await this.candidateActions(attempt.sitting_id, registrationId, place?.roomId ?? null);
    const messages = actions
      .filter((a) => a.kind === 'broadcast' || a.kind === 'auto-warning' || a.kind === 'warning')
      .map((a) => ({ id: a.id, kind: a.kind as CandidateMessageKind, text: a.reason, at: a.at }));
    const proctorKind = submit_reason ? PROCTOR_SUBMITS[submit_reason] : undefined;
    const note = proctorKind ? actions.filter((a) => a.kind === proctorKind).pop()?.reason : undefined;
    return {
      state,
      deadline: attempt.deadline_at,
      serverNow: nowIso(now),
      ...(submitted_at ? { submittedAt: submitted_at } : {}),
      ...(state === 'submitted' && submit_reason ? { submitReason: submit_reason } : {}),
      ...(note ? { submitNote: note } : {}),
      messages,
    };
  }

  /**
   * One read of proctor_actions (index proctor_actions_sitting): broadcasts
   * and the automatic warning to the candidate's room or the whole sitting,
   * and the warnings, disqualification and forced hand-in of this candidate;
   * oldest first.
   */
  private candidateActions(sittingId: string, registrationId: string, roomId: string | null) {
    return this.ctx.db
      .selectFrom('proctor_actions')
      .select(['id', 'kind', 'reason', 'at'])
      .where('sitting_id', '=', sittingId)
      .where('kind', 'in', [...ROOM_MESSAGES, ...OWN_ACTIONS])
      .where((eb) =>
        eb.or([
          eb.and([
            eb('kind', 'in', [...ROOM_MESSAGES]),
            roomId === null ? eb('room_id', 'is', null) : eb.or([eb('room_id', '=', roomId), eb('room_id', 'is', null)]),
          ]),
          eb.and([eb('kind', 'in', [...OWN_ACTIONS]), eb('registration_id', '=', registrationId)]),
        ]),
      )
      .orderBy('at')
      .orderBy('id')
      .execute();
  }

  /** The reason a proctor gave for disqualifying the candidate or handing their paper in, if it was theirs. */
  private async proctorNote(sittingId: string, registrationId: string, reason: SubmitReason): Promise<string | undefined> {
    const kind = PROCTOR_SUBMITS[reason];
    if (!kind) return undefined;
    const row = await this.ctx.db
      .selectFrom('proctor_actions')
      .select('reason')
      .where('sitting_id', '=', sittingId)
      .where('kind', '=', kind)
      .where('registration_id', '=', registrationId)
      .orderBy('at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row?.reason;
  }

  private async scoringPlanOf(attempt: AttemptRef) {
    const paper = await this.paperOf(attempt.registration_id, attempt.id);
    return scoringPlan(this.ctx, attempt.sitting_id, [...paper.entries.values()]);
  }

  /** Hands in one attempt in its own transaction (the sweeper, a late resume). */
  async finalize(attempt: AttemptRef, submittedAt: number, reason: 'deadline' | 'proctor' | 'disqualified') {
    const plan = await this.scoringPlanOf(attempt);
    return this.ctx.db.transaction().execute(async (trx) => {
      await this.forUpdate(trx.selectFrom('attempts').select('id').where('id', '=', attempt.id)).execute();
      return finalizeAttempt(trx, attempt.id, plan, submittedAt, reason);
    });
  }

  /** Hands in every attempt past its deadline and grace; returns how many. */
  async finalizeDue(limit = 200): Promise<number> {
    const due = await this.ctx.db
      .selectFrom('attempts')
      .select(['id', 'deadline_at', 'sitting_id', 'registration_id'])
      .where('state', '=', 'in_progress')
      .where('finalize_at', '<=', nowIso(this.ctx.clock.now()))
      .limit(limit)
      .execute();
    let done = 0;
    for (const a of due) if (await this.finalize(a, Date.parse(a.deadline_at), 'deadline')) done++;
    return done;
  }
}

const switchPending = () => conflict('SWITCH_PENDING', '已向监考员申请换机，请等待监考员确认');

/** 409 SWITCH_REJECTED: a proctor refused this machine's switch request. */
function switchRejected(reason: string | null) {
  return conflict('SWITCH_REJECTED', reason ? `监考员未同意换机：${reason}` : '监考员未同意换机，请回到原来的计算机作答或联系监考员', { reason: reason ?? null });
}
