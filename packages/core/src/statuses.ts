/**
 * The words for states that both the server (the audit log's 变更) and the
 * console show: an institution's review, a staff account, a site's agreement,
 * a site's arrangement, a proctor's duty, a seat's mark on the sign-in sheet.
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

/** A staff account: awaiting review, working, refused, or switched off. */
export type AccountStatus = 'pending' | 'active' | 'rejected' | 'disabled';
export const ACCOUNT_STATUS_NAMES: Record<AccountStatus, string> = { pending: '待审核', active: '正常', rejected: '已驳回', disabled: '已停用' };

/** A site's 考务协议 with the operator. */
export type AgreementStatus = 'none' | 'sent' | 'signed';
export const AGREEMENT_STATUS_NAMES: Record<AgreementStatus, string> = { none: '未发送', sent: '已发送待签署', signed: '已签署' };

/** A seat on the sign-in sheet (签到表), as the proctors mark it. */
export type SignInState = 'signed' | 'absent';
export const SIGN_IN_STATE_NAMES: Record<SignInState, string> = { signed: '已签到', absent: '缺考' };
