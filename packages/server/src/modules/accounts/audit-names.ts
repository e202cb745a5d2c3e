/**
 * The Chinese name of every action and entity the audit log records. The one
 * source of truth: `recordAudit` and `auditChange` accept only these keys (so
 * a new audited action does not compile until it is named here), and the
 * audit API hands the names to the console.
 */

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

export type AuditAction = keyof typeof AUDIT_ACTION_NAMES;
export type AuditEntity = keyof typeof AUDIT_ENTITY_NAMES;

const nameOf = <K extends string>(names: Record<K, string>, key: string): string => (Object.hasOwn(names, key) ? names[key as K] : key);

/** The Chinese name of an action; a key no longer named (a line from an older version) stands for itself. */
export const auditActionName = (action: string): string => nameOf(AUDIT_ACTION_NAMES, action);

/** The Chinese name of an entity, or the key itself. */
export const auditEntityName = (entity: string): string => nameOf(AUDIT_ENTITY_NAMES, entity);
