// 院校注册 (public): the institution's code, name and province and its
// admin's account; the operator reviews it within 1–2 working days.

import { useState } from 'react';
import { Alert, Button, Divider, Form, Input, Select } from 'antd';
import { errorMessage } from '../../api';
import { useLoader } from '../../hooks';
import { orgApi, type SignupInput } from '../../admin/organizations';
import { ACCOUNT_RULES, confirmRule, PublicShell, SignupDone } from './PublicShell';

interface SignupForm {
  code: string;
  name: string;
  province: string;
  admin: SignupInput['admin'] & { confirm: string };
}

export function SignupPage() {
  const provinces = useLoader((signal) => orgApi.provinces(signal), []);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  async function onFinish(values: SignupForm) {
    setBusy(true);
    setError(null);
    try {
      const { confirm: _confirm, ...admin } = values.admin;
      const res = await orgApi.signup({ code: values.code.trim(), name: values.name.trim(), province: values.province, admin });
      setDone(res.message);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  if (done) return <SignupDone shellTitle="院校注册" testId="signup-done" title="注册申请已提交" message={done} />;

  return (
    <PublicShell title="院校注册" subtitle="注册院校管理员账号。提交后由运营方在 1–2 个工作日内审核，审核通过后即可登录并邀请证书负责人。">
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} data-testid="signup-error" />}
      <Form<SignupForm> layout="vertical" onFinish={onFinish} disabled={busy} requiredMark="optional" scrollToFirstError>
        <Divider orientation="left" plain style={{ marginTop: 0 }}>
          院校信息
        </Divider>
        <div style={{ display: 'flex', gap: 16 }}>
          <Form.Item label="院校代码" name="code" style={{ flex: '0 0 180px' }} rules={[{ required: true, message: '请输入院校代码' }, { pattern: /^\d{5,10}$/, message: '院校代码为 5–10 位数字' }]}>
            <Input placeholder="如 10001" inputMode="numeric" maxLength={10} />
          </Form.Item>
          <Form.Item label="院校名称" name="name" style={{ flex: 1 }} rules={[{ required: true, whitespace: true, message: '请输入院校名称' }, { max: 100, message: '院校名称最多 100 个字' }]}>
            <Input placeholder="与教育部公布的名称一致" maxLength={100} />
          </Form.Item>
        </div>
        <Form.Item label="所在省份" name="province" rules={[{ required: true, message: '请选择省份' }]}>
          <Select
            showSearch
            placeholder="请选择省级行政区"
            loading={provinces.loading}
            options={(provinces.data?.provinces ?? []).map((p) => ({ value: p, label: p }))}
            data-testid="signup-province"
          />
        </Form.Item>
        <Divider orientation="left" plain>
          院校管理员账号
        </Divider>
        <div style={{ display: 'flex', gap: 16 }}>
          <Form.Item label="用户名" name={['admin', 'username']} style={{ flex: 1 }} rules={ACCOUNT_RULES.username}>
            <Input autoComplete="username" />
          </Form.Item>
          <Form.Item label="姓名" name={['admin', 'displayName']} style={{ flex: 1 }} rules={ACCOUNT_RULES.displayName}>
            <Input />
          </Form.Item>
        </div>
        <Form.Item label="手机号码" name={['admin', 'phone']} rules={ACCOUNT_RULES.phone}>
          <Input inputMode="tel" maxLength={11} />
        </Form.Item>
        <div style={{ display: 'flex', gap: 16 }}>
          <Form.Item label="密码" name={['admin', 'password']} style={{ flex: 1 }} rules={ACCOUNT_RULES.password} extra="至少 8 位，须包含字母和数字">
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item
            label="确认密码"
            name={['admin', 'confirm']}
            style={{ flex: 1 }}
            dependencies={[['admin', 'password']]}
            rules={[{ required: true, message: '请再次输入密码' }, confirmRule('admin.password')]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        </div>
        <Button type="primary" htmlType="submit" block loading={busy}>
          提交注册申请
        </Button>
      </Form>
    </PublicShell>
  );
}
