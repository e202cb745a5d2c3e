import { z } from 'zod';

/** Every password anyone chooses or is given (8–64 characters, a letter and a digit): sign-up, invitations, teachers, one's own change. */
export const passwordField = z
  .string()
  .min(8, '密码至少 8 位')
  .max(64, '密码最多 64 位')
  .regex(/[A-Za-z]/, '密码须同时包含字母和数字')
  .regex(/\d/, '密码须同时包含字母和数字');

/** 修改密码: the new one follows the rule and differs from the current one (and, checked with the account, from the username). */
export const changePasswordBody = z
  .object({
    currentPassword: z.string().min(1, '请输入当前密码').max(200),
    newPassword: passwordField,
  })
  .refine((b) => b.newPassword !== b.currentPassword, { path: ['newPassword'], message: '新密码不能与当前密码相同' });

/** Whether a new password is the username itself (in any case). */
export const isUsername = (password: string, username: string): boolean => password.toLowerCase() === username.toLowerCase();
