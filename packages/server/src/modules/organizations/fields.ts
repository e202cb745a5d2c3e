import { z } from 'zod';
import { PROVINCES } from './provinces.ts';

/** Input fields shared by sign-up, invitations, teachers and students (messages in Chinese). */
export const usernameField = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_.-]{3,32}$/, '用户名为 3–32 位字母、数字、下划线、点或短横线');

export { passwordField } from '../accounts/password-policy.ts';

export const displayNameField = z.string().trim().min(1, '请填写姓名').max(50, '姓名最多 50 个字');
export const phoneField = z.string().trim().regex(/^1[3-9]\d{9}$/, '请填写 11 位手机号码');
export const institutionCodeField = z.string().trim().regex(/^\d{5,10}$/, '院校代码为 5–10 位数字');
export const institutionNameField = z.string().trim().min(2, '请填写院校名称').max(100, '院校名称最多 100 个字');
export const provinceField = z.enum(PROVINCES, { error: '请从列表中选择省份' });
export const reasonField = z.string().trim().min(1, '请填写驳回原因').max(500, '原因最多 500 个字');
export const nameField = (what: string, max = 50) => z.string().trim().min(1, `请填写${what}`).max(max, `${what}最多 ${max} 个字`);

/** A person as the console shows them (teachers, coordinators, pending accounts). */
export const personSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  phone: z.string().nullable(),
  status: z.enum(['pending', 'active', 'rejected', 'disabled']),
});
