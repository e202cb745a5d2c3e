/**
 * The words for states that both the server (the audit log's 变更) and the
 * console show: an institution's review, a site's arrangement, a proctor's duty.
 */

export const INSTITUTION_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type InstitutionStatus = (typeof INSTITUTION_STATUSES)[number];
export const INSTITUTION_STATUS_NAMES: Record<InstitutionStatus, string> = { pending: '待审核', approved: '已通过', rejected: '已驳回' };

/** A site's arrangement for a plan: none yet, a draft, or published. */
export type ArrangementState = 'none' | 'draft' | 'published';
export const ARRANGEMENT_STATE_NAMES: Record<ArrangementState, string> = { none: '未编排', draft: '草稿（未发布）', published: '已发布' };

/** A proctor's duty in a plan: 监考员 of a room, or the site's 主考. */
export type Duty = 'proctor' | 'chief';
export const DUTY_NAMES: Record<Duty, string> = { proctor: '监考员', chief: '主考' };
