import { useState, type ReactNode } from 'react';
import { Alert, App, Button, Layout, Menu, Space, Tag, Typography } from 'antd';
import { api, errorMessage } from './api';
import { roleLabel, sectionOf, sectionsFor } from './access';
import { navigate, type Route } from './router';
import { signIn, signOut } from './session';
import { ChangePasswordModal } from './components/ChangePasswordModal';
import type { StaffUser } from './types';

const { Header, Sider, Content } = Layout;

export function ConsoleLayout({ user, route, children }: { user: StaffUser; route: Route; children: ReactNode }) {
  const sections = sectionsFor(user.role);
  const selected = sectionOf(route);
  const [changingPassword, setChangingPassword] = useState(false);
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Sider width={200} breakpoint="lg" collapsedWidth={64}>
        <div style={{ height: 64, display: 'flex', alignItems: 'center', justifyContent: 'center', color: '#fff', fontSize: 18, fontWeight: 600, letterSpacing: 2 }}>
          考务控制台
        </div>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={selected ? [selected] : []}
          items={sections.map((s) => ({ key: s.key, label: s.label }))}
          onClick={({ key }) => {
            const section = sections.find((s) => s.key === key);
            if (section) navigate({ name: section.key });
          }}
        />
      </Sider>
      <Layout>
        <Header style={{ background: '#fff', padding: '0 24px', display: 'flex', alignItems: 'center', justifyContent: 'space-between', borderBottom: '1px solid #f0f0f0' }}>
          <Typography.Text strong style={{ fontSize: 16 }}>
            1+X Python 程序开发 · 考务管理
          </Typography.Text>
          <Space size="middle">
            <span data-testid="current-user">
              <Tag color={user.role === 'operator' ? 'blue' : user.role === 'grader' ? 'purple' : 'green'} data-testid="current-role">
                {roleLabel(user.role)}
              </Tag>
              {user.displayName}
              <Typography.Text type="secondary">（{user.username}）</Typography.Text>
            </span>
            {/* Under 登录此账号 the password is the teacher's own business. */}
            {!user.actingFor && (
              <Button onClick={() => setChangingPassword(true)} data-testid="change-password">
                修改密码
              </Button>
            )}
            <Button
              onClick={() => {
                signOut();
              }}
            >
              退出
            </Button>
          </Space>
        </Header>
        {user.actingFor && <ActingAsBanner user={user} />}
        <Content style={{ margin: 24 }}>{children}</Content>
      </Layout>
      <ChangePasswordModal user={user} open={user.mustChangePassword || changingPassword} forced={user.mustChangePassword} onClose={() => setChangingPassword(false)} />
    </Layout>
  );
}

/** 登录此账号: who is really acting, and the one click that ends it. */
function ActingAsBanner({ user }: { user: StaffUser }) {
  const { message } = App.useApp();
  const end = async () => {
    try {
      const back = await api.endActAs();
      signIn(back.token, back.user);
      navigate({ name: 'people' });
    } catch (err) {
      void message.error(errorMessage(err));
    }
  };
  return (
    <Alert
      banner
      type="warning"
      data-testid="acting-as-banner"
      message={`${user.actingFor!.displayName}（${user.actingFor!.username}）正以教师 ${user.displayName} 的身份操作，所有操作均记入操作日志。`}
      action={
        <Button size="small" type="primary" onClick={() => void end()} data-testid="end-acting-as">
          退出此账号，返回本人
        </Button>
      }
    />
  );
}
