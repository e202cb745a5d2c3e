/**
 * The Chinese name of every action and entity the audit log records, and of
 * every field of its before/after snapshots. The one source of truth:
 * `recordAudit` and `auditChange` accept only these action and entity keys (so
 * a new audited action does not compile until it is named here), and the
 * audit API hands the names to the console.
 */

import { ACCOUNT_STATUS_NAMES, AGREEMENT_STATUS_NAMES, ARRANGEMENT_STATE_NAMES, DUTY_NAMES, INSTITUTION_STATUS_NAMES, LEVEL_NAMES, PAPER_NAMES, SIGN_IN_STATE_NAMES } from '@kaowu/core';
import { ROLE_NAMES } from './staff-auth.ts';
import { INVITATION_STATUS_NAMES } from '../organizations/invitations.ts';
import { SITE_STATUS_NAMES } from '../sites/labels.ts';
import { ID_TYPE_NAMES } from '../sheets/candidates.ts';

export const AUDIT_ACTION_NAMES = {
  // 院校与账号
  'institution.signup': '院校注册',
  'institution.resubmit': '院校重新提交注册',
  'institution.approve': '院校审核通过',
  'institution.reject': '院校审核驳回',
  'account.approve': '账号审核通过',
  'account.reject': '账号审核驳回',
  'account.changePassword': '修改本人密码',
  'invitation.create': '生成邀请链接',
  'invitation.revoke': '撤销邀请链接',
  'invitation.accept': '通过邀请注册',
  'actAs.start': '登录教师账号',
  'actAs.end': '退出代登录',
  // 专业、班级、教师、学生
  'major.create': '新增专业',
  'major.update': '修改专业',
  'major.delete': '删除专业',
  'class.create': '新建班级',
  'class.update': '修改班级',
  'class.delete': '删除班级',
  'teacher.create': '添加教师',
  'teacher.update': '修改教师',
  'teacher.disable': '停用教师',
  'teacher.enable': '启用教师',
  'teacher.resetPassword': '重置教师密码',
  'student.import': '导入学生账号',
  'student.resetPassword': '重置学生密码',
  // 考核站点与考场
  'site.apply': '申请考核站点',
  'site.approve': '审核通过并启用站点',
  'site.reject': '驳回站点申请',
  'site.disable': '停用考核站点',
  'site.agreement': '设置考务协议状态',
  'room.create': '新增考场',
  'room.update': '修改考场',
  'room.delete': '删除考场',
  // 考试计划、考生与报考
  'plan.create': '新建考试计划',
  'plan.update': '修改考试计划',
  'candidate.import': '导入考生',
  'candidate.update': '修改考生信息',
  'candidate.delete': '删除考生',
  'candidate.photo': '上传考生照片',
  'candidate.photos': '批量上传考生照片',
  'registration.create': '批量报考',
  'registration.delete': '取消报考',
  // 考场编排、监考安排、考前准备
  'arrangement.run': '编排考场',
  'arrangement.publish': '发布考场编排',
  'proctors.run': '自动安排监考',
  'proctors.set': '调整监考员',
  'proctors.chief': '指定主考',
  'readiness.mark': '确认考前准备事项',
  'readiness.unmark': '撤销考前准备确认',
  'sitting.seb': '设置 SEB 配置密钥',
  // 监考
  'proctor.absence': '缺考登记',
  'proctor.absence-cancel': '撤销缺考',
  'proctor.warning': '违纪：警告',
  'proctor.disqualify': '违纪：取消考试资格',
  'proctor.compensation': '补时',
  'proctor.force-submit': '强制交卷',
  'proctor.broadcast': '广播',
  'proctor.switch-approve': '批准换机',
  'proctor.switch-reject': '拒绝换机',
  'proctor.sign-in': '签到表标记',
  'proctor.record': '填写考场情况记录表',
  'proctor.record-sign': '签名考场情况记录表',
  // 题库与阅卷
  'bank.import': '导入题库',
  'mark.create': '评分',
  'mark.update': '修改评分',
} as const;

export const AUDIT_ENTITY_NAMES = {
  institution: '院校',
  user: '账号',
  invitation: '邀请链接',
  major: '专业',
  class: '班级',
  site: '考核站点',
  room: '考场',
  plan: '考试计划',
  candidate: '考生',
  registration: '报考',
  arrangement: '考场编排',
  proctor_assignments: '监考安排',
  readiness: '考前准备',
  sitting: '场次',
  bank: '题库',
  marks: '评分',
} as const;

/**
 * The top-level keys of the before/after snapshots (the console's 变更 shows
 * them field by field). `entity.key` names a key whose meaning on that entity
 * differs from the plain key's (a candidate's `name` is a person's 姓名). The
 * tests check that every key stored by their flows is named here.
 */
export const AUDIT_FIELD_NAMES = {
  // 通用
  name: '名称',
  code: '代码',
  status: '状态',
  state: '状态',
  reviewNote: '审核意见',
  reason: '原因',
  note: '备注',
  institutionId: '院校 ID',
  planId: '考试计划 ID',
  siteId: '考核站点 ID',
  roomId: '考场 ID',
  sittingId: '场次 ID',
  level: '等级',
  count: '人数',
  // 院校与账号
  province: '省份',
  admin: '院校管理员',
  username: '用户名',
  displayName: '姓名',
  phone: '手机号',
  role: '角色',
  majorIds: '所教专业 ID',
  passwordReset: '已重置密码',
  passwordChanged: '已修改密码',
  invitationId: '邀请链接 ID',
  expiresAt: '有效期至',
  // 专业、班级、学生
  major: '专业',
  majorId: '专业 ID',
  headTeacher: '班主任',
  headTeacherId: '班主任 ID',
  counsellor: '辅导员',
  counsellorId: '辅导员 ID',
  className: '班级',
  created: '新建账号数',
  students: '学生账号',
  // 考核站点与考场
  address: '地址',
  contactName: '联系人',
  contactPhone: '联系电话',
  agreementStatus: '考务协议状态',
  location: '考场位置',
  seats: '考位数',
  seatsPerRow: '每排座位数',
  roomType: '考场类型',
  spareMachines: '备用机数',
  ipRanges: '考生机 IP 范围',
  restrictSignIn: '仅允许本考场 IP 登录',
  // 考试计划
  'plan.code': '计划编号',
  examDate: '考试日期',
  registrationDeadline: '报名截止时间',
  preset: '复制自手册计划',
  sittings: '场次',
  paper: '试卷',
  startsAt: '开考时间',
  durationMin: '时长（分钟）',
  // 考生与报考（candidate.update 记录数据库列名）
  'candidate.name': '姓名',
  'registration.name': '姓名',
  gender: '性别',
  idType: '证件类型',
  id_type: '证件类型',
  idNumber: '证件号码',
  id_number: '证件号码',
  major_id: '专业 ID',
  class_id: '班级 ID',
  imported: '导入人数',
  institutions: '各院校人数',
  institutionName: '院校名称',
  mime: '文件类型',
  size: '文件大小（字节）',
  stored: '保存照片数',
  replaced: '替换照片数',
  firstTicket: '起始准考证号',
  lastTicket: '结束准考证号',
  ticketNo: '准考证号',
  // 考场编排与监考安排
  options: '编排选项',
  everyOtherSeat: '隔位就座',
  'arrangement.seats': '原编排人数',
  registered: '报考人数',
  placed: '已编排人数',
  unplaced: '未编排人数',
  kept: '保持不变',
  moved: '调整座位人数',
  added: '新增',
  freed: '释放座位数',
  removed: '移除',
  problems: '问题数',
  publishedAt: '发布时间',
  republished: '重新发布',
  rooms: '考场数',
  room: '考场',
  candidates: '考生数',
  assigned: '已安排监考人次',
  pool: '可安排监考员数',
  proctors: '监考员',
  chief: '主考',
  // 考前准备与场次
  item: '事项',
  title: '事项名称',
  doneBy: '确认人 ID',
  doneAt: '确认时间',
  sebRequired: '要求使用 SEB',
  // 监考
  'room.reason': '广播内容',
  'site.reason': '广播内容',
  minutes: '补时（分钟）',
  seatNo: '座位号',
  at: '登记时间',
  submitReason: '交卷原因',
  attemptId: '作答 ID',
  handedIn: '已收卷',
  deadline: '作答截止时间',
  extensionSec: '累计补时（秒）',
  clientId: '考生机标识',
  switchId: '换机申请 ID',
  ip: 'IP 地址',
  incidents: '其他情况',
  remarks: '备注',
  signatures: '签名数',
  signaturesCleared: '清除签名数',
  duty: '签名身份',
  // 题库与阅卷
  certificate: '证书',
  revised: '修订',
  unchanged: '未变',
  total: '总分',
  items: '各评分项',
  comment: '评语',
  'marks.reason': '修改原因',
  markingId: '答卷 ID',
  round: '评阅轮次',
} as const;

/**
 * The Chinese names of coded snapshot values (string enums only: free text,
 * ids, numbers and booleans show as they are), taken from the maps the rest of
 * the app shows. Keyed like AUDIT_FIELD_NAMES: `entity.key` where the code
 * depends on the entity (an institution's `status` is not an account's), else
 * the plain key.
 */
export const AUDIT_VALUE_NAMES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'institution.status': INSTITUTION_STATUS_NAMES,
  'user.status': ACCOUNT_STATUS_NAMES,
  'invitation.status': INVITATION_STATUS_NAMES,
  'site.status': SITE_STATUS_NAMES,
  'arrangement.state': ARRANGEMENT_STATE_NAMES,
  'registration.state': SIGN_IN_STATE_NAMES,
  agreementStatus: AGREEMENT_STATUS_NAMES,
  role: ROLE_NAMES,
  duty: DUTY_NAMES,
  level: LEVEL_NAMES,
  paper: PAPER_NAMES,
  idType: ID_TYPE_NAMES,
  id_type: ID_TYPE_NAMES,
};

export type AuditAction = keyof typeof AUDIT_ACTION_NAMES;
export type AuditEntity = keyof typeof AUDIT_ENTITY_NAMES;

const nameOf = <K extends string>(names: Record<K, string>, key: string): string => (Object.hasOwn(names, key) ? names[key as K] : key);

/** The Chinese name of an action; a key no longer named (a line from an older version) stands for itself. */
export const auditActionName = (action: string): string => nameOf(AUDIT_ACTION_NAMES, action);

/** The Chinese name of an entity, or the key itself. */
export const auditEntityName = (entity: string): string => nameOf(AUDIT_ENTITY_NAMES, entity);

/**
 * Every key and value of a before/after snapshot: its own, and those of the
 * objects nested in it (an arrangement's options, each of a plan's sittings).
 */
export function* snapshotEntries(value: unknown): Generator<[key: string, value: unknown]> {
  if (Array.isArray(value)) {
    for (const item of value) yield* snapshotEntries(item);
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, inner] of Object.entries(value)) {
      yield [key, inner];
      yield* snapshotEntries(inner);
    }
  }
}

/** The AUDIT_FIELD_NAMES key that names `key` of an `entity` snapshot: `entity.key` when that entity has its own name for it, else `key`. */
export const auditFieldKey = (entity: string, key: string): string => (Object.hasOwn(AUDIT_FIELD_NAMES, `${entity}.${key}`) ? `${entity}.${key}` : key);

/** The Chinese name of a snapshot field, or the key itself (a field no longer named). */
export const auditFieldName = (fieldKey: string): string => nameOf(AUDIT_FIELD_NAMES, fieldKey);

/** The AUDIT_VALUE_NAMES key for the values of `key` of an `entity` snapshot (`entity.key`, else `key`), or null when its values are not coded. */
export const auditValueKey = (entity: string, key: string): string | null =>
  Object.hasOwn(AUDIT_VALUE_NAMES, `${entity}.${key}`) ? `${entity}.${key}` : Object.hasOwn(AUDIT_VALUE_NAMES, key) ? key : null;

/** The Chinese name of a coded value of the field `valueKey` (see auditValueKey), or null for a value not named. */
export const auditValueName = (valueKey: string, value: string): string | null => {
  const names = Object.hasOwn(AUDIT_VALUE_NAMES, valueKey) ? AUDIT_VALUE_NAMES[valueKey]! : null;
  return names && Object.hasOwn(names, value) ? names[value]! : null;
};
