import { useState } from 'react';
import { App, Button, Form, Input, Popconfirm, Select, Space, Tag, Typography, type TableColumnsType } from 'antd';
import { errorMessage } from '../../../api';
import { useLoader } from '../../../hooks';
import { navigate } from '../../../router';
import { signIn } from '../../../session';
import { ACCOUNT_STATUS_COLORS, ACCOUNT_STATUS_LABELS, orgApi, type Teacher } from '../../../admin/organizations';
import { ACCOUNT_RULES } from '../PublicShell';
import { FormModal, ListTable } from '../../../components/Crud';

interface TeacherForm {
  username: string;
  displayName: string;
  phone: string;
  password: string;
  majorIds: string[];
}

/** A password a coordinator can read out: 8 characters, letters and digits. */
function suggestPassword(): string {
  const letters = 'abcdefghjkmnpqrstuvwxyz';
  const digits = '23456789';
  const all = letters + digits;
  const pick = (s: string) => s[crypto.getRandomValues(new Uint32Array(1))[0]! % s.length]!;
  const chars = [pick(letters), pick(digits), ...Array.from({ length: 6 }, () => pick(all))];
  return chars.sort(() => (crypto.getRandomValues(new Uint8Array(1))[0]! & 1 ? 1 : -1)).join('');
}

export function TeachersTab({ canEdit }: { canEdit: boolean }) {
  const { message, modal } = App.useApp();
  const teachers = useLoader((signal) => orgApi.teachers(signal), []);
  const majors = useLoader((signal) => orgApi.majors(signal), []);
  const [editing, setEditing] = useState<Teacher | 'new' | null>(null);
  const [form] = Form.useForm<TeacherForm>();
  const [busy, setBusy] = useState(false);
  const majorOptions = (majors.data?.majors ?? []).map((m) => ({ value: m.id, label: m.name }));

  const showPassword = (title: string, username: string, password: string) =>
    modal.success({
      title,
      content: (
        <div data-testid="teacher-password">
          <p>登录账号：<Typography.Text code copyable>{username}</Typography.Text></p>
          <p>密码：<Typography.Text code copyable>{password}</Typography.Text></p>
          <Typography.Text type="secondary">密码只显示这一次，请转告教师并提醒其登录后修改。</Typography.Text>
        </div>
      ),
      okText: '知道了',
    });

  async function save(values: TeacherForm) {
    setBusy(true);
    try {
      if (editing === 'new') {
        await orgApi.createTeacher({ ...values, username: values.username.trim(), majorIds: values.majorIds ?? [] });
        showPassword('教师账号已创建', values.username.trim(), values.password);
      } else if (editing) {
        await orgApi.updateTeacher(editing.id, { displayName: values.displayName, phone: values.phone, majorIds: values.majorIds ?? [] });
        void message.success('教师信息已保存');
      }
      setEditing(null);
      teachers.reload();
    } catch (err) {
      void message.error(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  async function run(fn: () => Promise<unknown>, done?: string) {
    try {
      await fn();
      if (done) void message.success(done);
      teachers.reload();
    } catch (err) {
      void message.error(errorMessage(err));
    }
  }

  async function actAs(t: Teacher) {
    try {
      const { token, user } = await orgApi.actAs(t.id);
      signIn(token, user);
      navigate({ name: 'people' });
    } catch (err) {
      void message.error(errorMessage(err));
    }
  }

  const columns: TableColumnsType<Teacher> = [
    { title: '姓名', dataIndex: 'displayName', key: 'displayName', width: 110 },
    { title: '登录账号', dataIndex: 'username', key: 'username', width: 140 },
    { title: '手机号码', dataIndex: 'phone', key: 'phone', width: 130 },
    {
      title: '所教专业',
      key: 'majors',
      render: (_, t) => (t.majors.length ? t.majors.map((m) => <Tag key={m.id}>{m.name}</Tag>) : <Typography.Text type="secondary">—</Typography.Text>),
    },
    { title: '状态', dataIndex: 'status', key: 'status', width: 80, render: (s: Teacher['status']) => <Tag color={ACCOUNT_STATUS_COLORS[s]}>{ACCOUNT_STATUS_LABELS[s]}</Tag> },
    ...(canEdit
      ? [{
          title: '操作',
          key: 'actions',
          width: 310,
          // Pinned, so that 登录此账号 stays on screen at 1024 px.
          fixed: 'right' as const,
          render: (_: unknown, t: Teacher) => (
            <Space size={0} wrap>
              <Popconfirm
                title={`以教师 ${t.displayName} 的身份登录？`}
                description="登录期间的所有操作都会记入操作日志（注明由您代为操作）。"
                okText="登录"
                cancelText="取消"
                disabled={t.status !== 'active'}
                onConfirm={() => actAs(t)}
              >
                <Button type="link" size="small" disabled={t.status !== 'active'} data-testid={`act-as-${t.username}`}>
                  登录此账号
                </Button>
              </Popconfirm>
              <Button
                type="link"
                size="small"
                onClick={() => {
                  setEditing(t);
                  form.setFieldsValue({ displayName: t.displayName, phone: t.phone ?? '', majorIds: t.majors.map((m) => m.id) });
                }}
              >
                编辑
              </Button>
              <Popconfirm
                title={`重置 ${t.displayName} 的密码？`}
                description="将生成新的随机密码，原密码立即失效。"
                okText="重置"
                cancelText="取消"
                onConfirm={() => run(async () => {
                  const r = await orgApi.resetTeacherPassword(t.id);
                  showPassword('密码已重置', r.username, r.password);
                })}
              >
                <Button type="link" size="small">
                  重置密码
                </Button>
              </Popconfirm>
              {t.status === 'active' ? (
                <Popconfirm title={`停用 ${t.displayName}？`} description="停用后该教师无法登录。" okText="停用" okButtonProps={{ danger: true }} cancelText="取消" onConfirm={() => run(() => orgApi.setTeacherEnabled(t.id, false), '已停用')}>
                  <Button type="link" size="small" danger>
                    停用
                  </Button>
                </Popconfirm>
              ) : (
                <Button type="link" size="small" onClick={() => void run(() => orgApi.setTeacherEnabled(t.id, true), '已启用')}>
                  启用
                </Button>
              )}
            </Space>
          ),
        }]
      : []),
  ];

  return (
    <>
      {canEdit && (
        <Space style={{ marginBottom: 16 }}>
          <Button
            type="primary"
            data-testid="teacher-add"
            onClick={() => {
              setEditing('new');
              form.resetFields();
              form.setFieldsValue({ password: suggestPassword(), majorIds: [] });
            }}
          >
            添加教师
          </Button>
          <Typography.Text type="secondary">教师用登录账号和密码登录后导入学生账号；也可以点击“登录此账号”代为操作。</Typography.Text>
        </Space>
      )}
      <ListTable<Teacher> loaded={teachers} rows={teachers.data?.teachers ?? []} columns={columns} emptyText="尚无教师" testId="teachers-table" scroll={{ x: 900 }} />
      <FormModal
        title={editing === 'new' ? '添加教师' : '编辑教师'}
        open={editing !== null}
        busy={busy}
        onSave={() => form.submit()}
        onCancel={() => setEditing(null)}
        destroyOnHidden
      >
        <Form<TeacherForm> form={form} layout="vertical" onFinish={save} requiredMark="optional">
          {editing === 'new' && (
            <Form.Item label="登录账号" name="username" rules={ACCOUNT_RULES.username}>
              <Input autoComplete="off" data-testid="teacher-username" />
            </Form.Item>
          )}
          <Form.Item label="姓名" name="displayName" rules={ACCOUNT_RULES.displayName}>
            <Input data-testid="teacher-name" />
          </Form.Item>
          <Form.Item label="手机号码" name="phone" rules={ACCOUNT_RULES.phone}>
            <Input maxLength={11} data-testid="teacher-phone" />
          </Form.Item>
          {editing === 'new' && (
            <Form.Item label="初始密码" required>
              <Space.Compact style={{ width: '100%' }}>
                <Form.Item name="password" noStyle rules={ACCOUNT_RULES.password}>
                  <Input autoComplete="new-password" data-testid="teacher-password-input" />
                </Form.Item>
                <Button onClick={() => form.setFieldsValue({ password: suggestPassword() })}>随机生成</Button>
              </Space.Compact>
            </Form.Item>
          )}
          <Form.Item label="所教专业" name="majorIds" extra="监考安排时，教师不监考本专业的考生（回避）。">
            <Select mode="multiple" allowClear placeholder="选择专业" options={majorOptions} loading={majors.loading} data-testid="teacher-majors" />
          </Form.Item>
        </Form>
      </FormModal>
    </>
  );
}
