// 证书负责人注册 (public), from the invitation link an institution admin sent:
// the link names the institution; the account waits for the operator's review.

import { useState } from 'react';
import { Alert, Button, Form, Input, Result, Spin } from 'antd';
import { errorMessage } from '../../api';
import { useLoader } from '../../hooks';
import { orgApi, type AccountInput } from '../../admin/organizations';
import { ACCOUNT_RULES, confirmRule, PublicShell, SignupDone } from './PublicShell';

export function InvitePage({ token }: { token: string }) {
  const info = useLoader((signal) => orgApi.invitation(token, signal), [token]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  async function onFinish(values: AccountInput & { confirm: string }) {
    setBusy(true);
    setError(null);
    try {
      const { confirm: _confirm, ...input } = values;
      setDone((await orgApi.acceptInvitation(token, input)).message);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  if (info.loading) {
    return (
      <PublicShell title="证书负责人注册">
        <div style={{ textAlign: 'center', padding: 32 }}>
          <Spin />
        </div>
      </PublicShell>
    );
  }
  if (info.error !== undefined || !info.data) {
    return (
      <PublicShell title="证书负责人注册">
        <div data-testid="invite-invalid">
          <Result status="warning" title="邀请链接无效" subTitle={errorMessage(info.error)} />
        </div>
      </PublicShell>
    );
  }
  const inv = info.data;
  if (done) return <SignupDone shellTitle="证书负责人注册" testId="invite-done" title="注册成功" message={done} />;
  if (!inv.valid) {
    return (
      <PublicShell title="证书负责人注册">
        <div data-testid="invite-invalid">
          <Result status="warning" title="邀请链接已失效" subTitle={inv.reason} />
        </div>
      </PublicShell>
    );
  }
  return (
    <PublicShell
      title="证书负责人注册"
      width={480}
      subtitle={
        <span data-testid="invite-institution">
          {inv.institutionName} 邀请您注册为<b>{inv.roleName}</b>。注册后由运营方在 1–2 个工作日内审核。
        </span>
      }
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} data-testid="invite-error" />}
      <Form<AccountInput & { confirm: string }> layout="vertical" onFinish={onFinish} disabled={busy} requiredMark="optional">
        <Form.Item label="用户名" name="username" rules={ACCOUNT_RULES.username}>
          <Input autoComplete="username" />
        </Form.Item>
        <Form.Item label="姓名" name="displayName" rules={ACCOUNT_RULES.displayName}>
          <Input />
        </Form.Item>
        <Form.Item label="手机号码" name="phone" rules={ACCOUNT_RULES.phone}>
          <Input inputMode="tel" maxLength={11} />
        </Form.Item>
        <Form.Item label="密码" name="password" rules={ACCOUNT_RULES.password} extra="至少 8 位，须包含字母和数字">
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item label="确认密码" name="confirm" dependencies={['password']} rules={[{ required: true, message: '请再次输入密码' }, confirmRule('password')]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={busy}>
          注册
        </Button>
      </Form>
    </PublicShell>
  );
}
