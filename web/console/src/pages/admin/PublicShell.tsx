// The frame of the public pages (院校注册, 证书负责人注册): the log-in page's
// background, a card, and a way back to log-in.

import type { ReactNode } from 'react';
import { Button, Card, Result, Typography } from 'antd';

export function PublicShell({ title, subtitle, children, width = 560 }: { title: string; subtitle?: ReactNode; children: ReactNode; width?: number }) {
  return (
    <div style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', padding: '32px 16px', background: 'linear-gradient(160deg, #e6f0ff 0%, #f5f5f5 60%)' }}>
      <Card style={{ width, maxWidth: '100%' }}>
        <Typography.Title level={3} style={{ textAlign: 'center', marginBottom: 4 }}>
          {title}
        </Typography.Title>
        {subtitle && (
          <Typography.Paragraph type="secondary" style={{ textAlign: 'center' }}>
            {subtitle}
          </Typography.Paragraph>
        )}
        {children}
        <div style={{ textAlign: 'center', marginTop: 16 }}>
          <a href="#/login">已有账号？返回登录</a>
        </div>
      </Card>
    </div>
  );
}

/** The page after a sign-up was accepted: what happens next, and back to log-in. */
export function SignupDone({ shellTitle, testId, title, message }: { shellTitle: string; testId: string; title: string; message: string }) {
  return (
    <PublicShell title={shellTitle}>
      <div data-testid={testId}>
        <Result
          status="success"
          title={title}
          subTitle={message}
          extra={
            <Button type="primary" href="#/login">
              返回登录
            </Button>
          }
        />
      </div>
    </PublicShell>
  );
}

/** Rules shared by the sign-up forms; the server checks the same (fields.ts). */
export const ACCOUNT_RULES = {
  username: [
    { required: true, whitespace: true, message: '请输入用户名' },
    { pattern: /^[A-Za-z0-9_.-]{3,32}$/, message: '用户名为 3–32 位字母、数字、下划线、点或短横线' },
  ],
  displayName: [{ required: true, whitespace: true, message: '请输入姓名' }, { max: 50, message: '姓名最多 50 个字' }],
  phone: [{ required: true, message: '请输入手机号码' }, { pattern: /^1[3-9]\d{9}$/, message: '请输入 11 位手机号码' }],
  password: [
    { required: true, message: '请输入密码' },
    { min: 8, message: '密码至少 8 位' },
    { pattern: /^(?=.*[A-Za-z])(?=.*\d).+$/, message: '密码须同时包含字母和数字' },
  ],
};

/** "确认密码" must equal the field `name`. */
export function confirmRule(name: string) {
  return ({ getFieldValue }: { getFieldValue: (n: string | (string | number)[]) => unknown }) => ({
    validator: (_: unknown, value: string) =>
      !value || getFieldValue(name.split('.')) === value ? Promise.resolve() : Promise.reject(new Error('两次输入的密码不一致')),
  });
}
