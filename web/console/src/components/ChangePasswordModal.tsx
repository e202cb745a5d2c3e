// 修改密码: one's own password, from the header's 修改密码 or, after a
// generated or reset password, forced before anything else (no cancel, only
// 退出登录). The server checks the same rules (accounts/password-policy.ts).

import { useState } from 'react';
import { Alert, App, Button, Form, Input, Modal } from 'antd';
import { api, ApiError, errorMessage } from '../api';
import { signIn, signOut } from '../session';
import type { StaffUser } from '../types';
import { ACCOUNT_RULES, confirmRule } from '../pages/admin/PublicShell';

interface PasswordForm {
  currentPassword: string;
  newPassword: string;
  repeat: string;
}

const PASSWORD_HELP = '8–64 位，须同时包含字母和数字，不能与用户名或当前密码相同';

export function ChangePasswordModal({ user, open, forced, onClose }: { user: StaffUser; open: boolean; forced: boolean; onClose: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<PasswordForm>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function save(values: PasswordForm) {
    setBusy(true);
    setError(null);
    try {
      const { token, user: fresh } = await api.changePassword(values.currentPassword, values.newPassword);
      signIn(token, fresh);
      void message.success('密码已修改，下次登录请使用新密码');
      form.resetFields();
      onClose();
    } catch (err) {
      showError(err);
    } finally {
      setBusy(false);
    }
  }

  /** A field's error under the field; anything else (a lock, the network) above the form. */
  function showError(err: unknown) {
    if (err instanceof ApiError && err.code === 'WRONG_PASSWORD') {
      form.setFields([{ name: 'currentPassword', errors: [err.message] }]);
      return;
    }
    const details = err instanceof ApiError && Array.isArray(err.extra.details) ? (err.extra.details as { path: string; message: string }[]) : [];
    const fields = details.filter((d) => d.path === 'currentPassword' || d.path === 'newPassword');
    if (fields.length) form.setFields(fields.map((d) => ({ name: d.path as keyof PasswordForm, errors: [d.message] })));
    else setError(errorMessage(err));
  }

  const close = () => {
    form.resetFields();
    setError(null);
    onClose();
  };

  return (
    <Modal
      title="修改密码"
      open={open}
      closable={!forced}
      maskClosable={false}
      keyboard={!forced}
      onCancel={close}
      destroyOnHidden
      width={460}
      footer={[
        forced ? (
          <Button key="out" onClick={() => signOut()}>
            退出登录
          </Button>
        ) : (
          <Button key="cancel" onClick={close}>
            取消
          </Button>
        ),
        <Button key="save" type="primary" loading={busy} onClick={() => form.submit()} data-testid="password-save">
          确认修改
        </Button>,
      ]}
    >
      <div data-testid={forced ? 'password-change-forced' : 'password-change'}>
        {forced && <Alert type="warning" showIcon style={{ marginBottom: 16 }} message="首次登录或密码被重置后，请先修改密码" description="修改完成后才能继续使用控制台。" />}
        {error && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={error} data-testid="password-error" />}
        <Form<PasswordForm> form={form} layout="vertical" onFinish={save} requiredMark={false} disabled={busy}>
          <Form.Item label="当前密码" name="currentPassword" rules={[{ required: true, message: '请输入当前密码' }]}>
            <Input.Password autoComplete="current-password" autoFocus data-testid="password-current" />
          </Form.Item>
          <Form.Item
            label="新密码"
            name="newPassword"
            extra={PASSWORD_HELP}
            dependencies={['currentPassword']}
            rules={[
              ...ACCOUNT_RULES.password,
              { max: 64, message: '密码最多 64 位' },
              ({ getFieldValue }) => ({
                validator: (_, value: string) => {
                  if (value && value.toLowerCase() === user.username.toLowerCase()) return Promise.reject(new Error('新密码不能与用户名相同'));
                  if (value && value === getFieldValue('currentPassword')) return Promise.reject(new Error('新密码不能与当前密码相同'));
                  return Promise.resolve();
                },
              }),
            ]}
          >
            <Input.Password autoComplete="new-password" data-testid="password-new" />
          </Form.Item>
          <Form.Item label="确认新密码" name="repeat" dependencies={['newPassword']} rules={[{ required: true, message: '请再次输入新密码' }, confirmRule('newPassword')]}>
            <Input.Password autoComplete="new-password" data-testid="password-repeat" />
          </Form.Item>
        </Form>
      </div>
    </Modal>
  );
}
