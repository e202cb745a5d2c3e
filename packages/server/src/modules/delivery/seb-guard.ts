import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { AppError } from '../../http/errors.ts';
import { SEB_HEADER, sebHeaderValid, sebRequestUrl } from './seb.ts';

export const sebRequired = () => new AppError(403, 'SEB_REQUIRED', '本场考试须使用安全考试浏览器（Safe Exam Browser）参加');

/**
 * The candidate routes' check that a sitting requiring Safe Exam Browser is
 * only reached through it. A route names the sitting (`:sittingId`) or an
 * attempt (`:attemptId`, whose sitting and owner never change, so they are
 * cached); the sitting comes from the catalog's short cache. A sitting
 * without a Config Key costs no query beyond those caches.
 */
export class SebGuard {
  private readonly attempts = new Map<string, { sittingId: string; registrationId: string }>();
  constructor(private readonly ctx: AppContext, private readonly max = 50_000) {}

  private async attempt(attemptId: string) {
    const hit = this.attempts.get(attemptId);
    if (hit) return hit;
    const row = await this.ctx.db.selectFrom('attempts').select(['sitting_id', 'registration_id']).where('id', '=', attemptId).executeTakeFirst();
    if (!row) return null;
    const ref = { sittingId: row.sitting_id, registrationId: row.registration_id };
    if (this.attempts.size >= this.max) this.attempts.clear();
    this.attempts.set(attemptId, ref);
    return ref;
  }

  /** An onRequest hook, after the candidate token was checked. */
  readonly check = async (req: FastifyRequest): Promise<void> => {
    const params = (req.params ?? {}) as { sittingId?: string; attemptId?: string };
    let sittingId = params.sittingId;
    if (!sittingId && params.attemptId) {
      const a = await this.attempt(params.attemptId);
      // Another candidate's or an unknown attempt: the route answers 404 itself.
      if (!a || a.registrationId !== req.candidateId) return;
      sittingId = a.sittingId;
    }
    if (!sittingId) return;
    const sitting = await this.ctx.sittings.sitting(sittingId, this.ctx.clock.now());
    if (!sitting?.sebConfigKey) return;
    const url = sebRequestUrl(req.protocol, req.host, req.url);
    if (!sebHeaderValid(req.headers[SEB_HEADER], url, sitting.sebConfigKey)) throw sebRequired();
  };
}
