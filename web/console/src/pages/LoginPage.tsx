import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { api, ApiError, errorMessage } from '../api';
import { signIn, takeSignOutReason } from '../session';

interface LoginForm {
  username: string;
  password: string;
}

export function LoginPage() {
  const [error, setError] = useState<{ message: string; locked: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice] = useState(takeSignOutReason);

  async function onFinish(values: LoginForm) {
    setBusy(true);
    setError(null);
    try {
      const { token, user } = await api.login(values.username, values.password);
      signIn(token, user);
    } catch (err) {
      // ACCOUNT_LOCKED: too many wrong passwords; the message says when to try again.
      setError({ message: errorMessage(err), locked: err instanceof ApiError && err.code === 'ACCOUNT_LOCKED' });
      setBusy(false);
    }
  }

  return (
    <div style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', background: 'linear-gradient(160deg, #e6f0ff 0%, #f5f5f5 60%)' }}>
      <Card style={{ width: 380 }}>
        <Typography.Title level={3} style={{ textAlign: 'center', marginBottom: 4 }}>
          考务管理控制台
        </Typography.Title>
        <Typography.Paragraph type="secondary" style={{ textAlign: 'center' }}>
          1+X Python 程序开发 · 工作人员登录
        </Typography.Paragraph>
        {notice && !error && <Alert type="warning" showIcon message={notice} style={{ marginBottom: 16 }} />}
        {error && (
          <Alert
            type="error"
            showIcon
            message={error.locked ? '账号已暂时锁定' : error.message}
            description={error.locked ? error.message : undefined}
            style={{ marginBottom: 16 }}
            data-testid="login-error"
          />
        )}
        <Form<LoginForm> layout="vertical" onFinish={onFinish} requiredMark={false} disabled={busy}>
          <Form.Item label="用户名" name="username" rules={[{ required: true, whitespace: true, message: '请输入用户名' }]}>
            <Input autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item label="密码" name="password" rules={[{ required: true, message: '请输入密码' }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            登录
          </Button>
        </Form>
        <div style={{ textAlign: 'center', marginTop: 16 }}>
          院校尚未注册？<a href="#/signup" data-testid="signup-link">院校注册</a>
        </div>
      </Card>
    </div>
  );
}
