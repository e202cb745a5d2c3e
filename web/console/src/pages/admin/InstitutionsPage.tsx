// 院校. The operator reviews institutions (待审核 / 已通过 / 已驳回) and the
// coordinators who registered from an invitation; an institution's admin and
// coordinator see their own institution, and the admin invites coordinators.

import { useState } from 'react';
import {
  Alert, App, Badge, Button, Card, Descriptions, Popconfirm, Space, Table, Tabs, Tag, Tooltip, Typography, type TableColumnsType,
} from 'antd';
import { errorMessage } from '../../api';
import { useLoader } from '../../hooks';
import { formatDateTime } from '../../format';
import { getUser } from '../../session';
import {
  absoluteLink, ACCOUNT_STATUS_COLORS, ACCOUNT_STATUS_LABELS, INSTITUTION_STATUS_COLORS, INSTITUTION_STATUS_LABELS, INVITATION_STATUS_COLORS, orgApi,
  type InstitutionInfo, type InstitutionStatus, type Invitation, type PendingAccount, type Person,
} from '../../admin/organizations';
import { ReasonModal } from './ReasonModal';

export function InstitutionsPage() {
  const user = getUser();
  return user?.role === 'operator' ? <Review /> : <OwnInstitution canInvite={user?.role === 'institution_admin'} />;
}

function AdminCell({ admins }: { admins: Person[] }) {
  if (!admins.length) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <>
      {admins.map((a) => (
        <div key={a.id}>
          {a.displayName}
          <Typography.Text type="secondary">（{a.username}）</Typography.Text>
          {a.phone && <div style={{ fontSize: 12, color: 'rgba(0,0,0,0.45)' }}>{a.phone}</div>}
        </div>
      ))}
    </>
  );
}

// ---------------------------------------------------------------------------
// The operator

function Review() {
  const { message } = App.useApp();
  const [tab, setTab] = useState<InstitutionStatus | 'accounts'>('pending');
  const list = useLoader((signal) => (tab === 'accounts' ? Promise.resolve(null) : orgApi.institutions(tab, signal)), [tab]);
  const pendingCount = useLoader((signal) => orgApi.institutions('pending', signal), [tab]);
  const accounts = useLoader((signal) => orgApi.pendingAccounts(signal), [tab]);
  const [rejecting, setRejecting] = useState<{ kind: 'institution' | 'account'; id: string; name: string } | null>(null);

  const reload = () => {
    list.reload();
    pendingCount.reload();
    accounts.reload();
  };
  const act = async (fn: () => Promise<unknown>, done: string) => {
    try {
      await fn();
      void message.success(done);
      reload();
    } catch (err) {
      void message.error(errorMessage(err));
    }
  };

  const columns: TableColumnsType<InstitutionInfo> = [
    { title: '院校代码', dataIndex: 'code', key: 'code', width: 100 },
    { title: '院校名称', dataIndex: 'name', key: 'name', width: 200 },
    { title: '省份', dataIndex: 'province', key: 'province', width: 110 },
    { title: '院校管理员', key: 'admins', width: 170, render: (_, r) => <AdminCell admins={r.admins} /> },
    { title: '注册时间', dataIndex: 'createdAt', key: 'createdAt', width: 160, render: formatDateTime },
    ...(tab === 'pending'
      ? []
      : [{ title: '审核时间', dataIndex: 'reviewedAt', key: 'reviewedAt', width: 160, render: formatDateTime } as TableColumnsType<InstitutionInfo>[number]]),
    ...(tab === 'rejected' ? [{ title: '驳回原因', dataIndex: 'reviewNote', key: 'reviewNote' } as TableColumnsType<InstitutionInfo>[number]] : []),
    ...(tab === 'approved'
      ? [{
          title: '人员',
          key: 'counts',
          render: (_: unknown, r: InstitutionInfo) => (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              负责人 {r.counts.coordinators} · 教师 {r.counts.teachers} · 班级 {r.counts.classes} · 学生 {r.counts.students}
            </Typography.Text>
          ),
        } as TableColumnsType<InstitutionInfo>[number]]
      : []),
    ...(tab !== 'approved'
      ? [{
          title: '操作',
          key: 'actions',
          width: 150,
          fixed: 'right' as const,
          render: (_: unknown, r: InstitutionInfo) => (
            <Space>
              <Popconfirm
                title={`审核通过 ${r.name}？`}
                description="院校管理员账号将同时启用。"
                okText="通过"
                cancelText="取消"
                onConfirm={() => act(() => orgApi.approveInstitution(r.id), `已通过：${r.name}`)}
              >
                <Button type="primary" size="small" data-testid={`approve-${r.code}`}>
                  通过
                </Button>
              </Popconfirm>
              {r.status === 'pending' && (
                <Button danger size="small" onClick={() => setRejecting({ kind: 'institution', id: r.id, name: r.name })} data-testid={`reject-${r.code}`}>
                  驳回
                </Button>
              )}
            </Space>
          ),
        } as TableColumnsType<InstitutionInfo>[number]]
      : []),
  ];

  const accountColumns: TableColumnsType<PendingAccount> = [
    { title: '姓名', dataIndex: 'displayName', key: 'displayName', width: 110 },
    { title: '用户名', dataIndex: 'username', key: 'username', width: 140 },
    { title: '手机号码', dataIndex: 'phone', key: 'phone', width: 130 },
    {
      title: '院校',
      key: 'institution',
      render: (_, r) => (
        <span>
          {r.institution.name}
          <Typography.Text type="secondary">（{r.institution.code}）</Typography.Text>
        </span>
      ),
    },
    { title: '注册时间', dataIndex: 'createdAt', key: 'createdAt', width: 160, render: formatDateTime },
    {
      title: '操作',
      key: 'actions',
      width: 150,
      render: (_, r) => (
        <Space>
          <Popconfirm title={`审核通过 ${r.displayName}？`} okText="通过" cancelText="取消" onConfirm={() => act(() => orgApi.approveAccount(r.id), `已通过：${r.displayName}`)}>
            <Button type="primary" size="small" data-testid={`approve-account-${r.username}`}>
              通过
            </Button>
          </Popconfirm>
          <Button danger size="small" onClick={() => setRejecting({ kind: 'account', id: r.id, name: r.displayName })}>
            驳回
          </Button>
        </Space>
      ),
    },
  ];

  const nPending = pendingCount.data?.institutions.length ?? 0;
  const nAccounts = accounts.data?.accounts.length ?? 0;
  const error = tab === 'accounts' ? accounts.error : list.error;
  return (
    <Card
      title="院校审核"
      extra={
        <Button onClick={reload} loading={list.refreshing || accounts.refreshing}>
          刷新
        </Button>
      }
    >
      <Tabs
        activeKey={tab}
        onChange={(k) => setTab(k as typeof tab)}
        items={[
          { key: 'pending', label: <span>待审核 <Badge count={nPending} size="small" /></span> },
          { key: 'approved', label: '已通过' },
          { key: 'rejected', label: '已驳回' },
          { key: 'accounts', label: <span>待审核证书负责人 <Badge count={nAccounts} size="small" /></span> },
        ]}
      />
      {error !== undefined && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={`加载失败：${errorMessage(error)}`} />}
      {tab === 'accounts' ? (
        <>
          <Typography.Paragraph type="secondary">证书负责人通过院校管理员的邀请链接注册，审核通过后方可登录。</Typography.Paragraph>
          <Table<PendingAccount>
            rowKey="id"
            size="middle"
            columns={accountColumns}
            dataSource={accounts.data?.accounts ?? []}
            loading={accounts.loading}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            locale={{ emptyText: '没有待审核的证书负责人' }}
            data-testid="pending-accounts"
          />
        </>
      ) : (
        <Table<InstitutionInfo>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={list.data?.institutions ?? []}
          loading={list.loading}
          scroll={{ x: 900 }}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{ emptyText: tab === 'pending' ? '没有待审核的院校' : '暂无院校' }}
          data-testid="institutions-table"
        />
      )}
      <ReasonModal
        title={rejecting ? `驳回：${rejecting.name}` : '驳回'}
        open={rejecting !== null}
        onCancel={() => setRejecting(null)}
        onSubmit={async (reason) => {
          const r = rejecting!;
          try {
            await (r.kind === 'institution' ? orgApi.rejectInstitution(r.id, reason) : orgApi.rejectAccount(r.id, reason));
            void message.success(`已驳回：${r.name}`);
            setRejecting(null);
            reload();
          } catch (err) {
            void message.error(errorMessage(err));
          }
        }}
      />
    </Card>
  );
}

// ---------------------------------------------------------------------------
// An institution's own staff

function OwnInstitution({ canInvite }: { canInvite: boolean }) {
  const user = getUser();
  const detail = useLoader((signal) => orgApi.institution(user?.institutionId ?? '-', signal), [user?.institutionId]);
  const inst = detail.data;
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card title="本院校信息" loading={detail.loading}>
        {detail.error !== undefined && <Alert type="error" showIcon message={`加载失败：${errorMessage(detail.error)}`} />}
        {inst && (
          <>
            <Descriptions column={{ xs: 1, md: 2, xl: 3 }} size="small" data-testid="own-institution">
              <Descriptions.Item label="院校代码">{inst.code}</Descriptions.Item>
              <Descriptions.Item label="院校名称">{inst.name}</Descriptions.Item>
              <Descriptions.Item label="所在省份">{inst.province}</Descriptions.Item>
              <Descriptions.Item label="审核状态">
                <Tag color={INSTITUTION_STATUS_COLORS[inst.status]}>{INSTITUTION_STATUS_LABELS[inst.status]}</Tag>
              </Descriptions.Item>
              <Descriptions.Item label="审核时间">{formatDateTime(inst.reviewedAt)}</Descriptions.Item>
              <Descriptions.Item label="院校管理员">
                {inst.admins.map((a) => `${a.displayName}（${a.username}）`).join('、') || '—'}
              </Descriptions.Item>
              <Descriptions.Item label="人员与班级">
                专业 {inst.counts.majors} · 班级 {inst.counts.classes} · 教师 {inst.counts.teachers} · 学生 {inst.counts.students}
              </Descriptions.Item>
            </Descriptions>
            <Typography.Title level={5} style={{ marginTop: 16 }}>
              证书负责人
            </Typography.Title>
            <Table<Person>
              rowKey="id"
              size="small"
              pagination={false}
              dataSource={inst.coordinators}
              locale={{ emptyText: canInvite ? '尚无证书负责人：请在下方生成邀请链接发给证书负责人' : '尚无证书负责人' }}
              columns={[
                { title: '姓名', dataIndex: 'displayName', key: 'displayName' },
                { title: '用户名', dataIndex: 'username', key: 'username' },
                { title: '手机号码', dataIndex: 'phone', key: 'phone' },
                { title: '状态', dataIndex: 'status', key: 'status', render: (s: Person['status']) => <Tag color={ACCOUNT_STATUS_COLORS[s]}>{ACCOUNT_STATUS_LABELS[s]}</Tag> },
              ]}
            />
          </>
        )}
      </Card>
      {canInvite && inst && <Invitations approved={inst.status === 'approved'} onChange={detail.reload} />}
    </Space>
  );
}

function Invitations({ approved, onChange }: { approved: boolean; onChange: () => void }) {
  const { message } = App.useApp();
  const list = useLoader((signal) => orgApi.invitations(signal), []);
  const [fresh, setFresh] = useState<{ link: string; expiresAt: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function copy(text: string) {
    try {
      await navigator.clipboard.writeText(text);
      void message.success('邀请链接已复制');
    } catch {
      void message.warning('浏览器不允许自动复制，请选中链接手动复制');
    }
  }

  async function create() {
    setBusy(true);
    try {
      const res = await orgApi.createInvitation();
      setFresh({ link: absoluteLink(res.link), expiresAt: res.expiresAt });
      list.reload();
    } catch (err) {
      void message.error(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  const columns: TableColumnsType<Invitation> = [
    { title: '生成时间', dataIndex: 'createdAt', key: 'createdAt', width: 170, render: formatDateTime },
    { title: '有效期至', dataIndex: 'expiresAt', key: 'expiresAt', width: 170, render: formatDateTime },
    { title: '状态', key: 'status', width: 90, render: (_, r) => <Tag color={INVITATION_STATUS_COLORS[r.status]}>{r.statusName}</Tag> },
    {
      title: '注册人',
      key: 'usedBy',
      render: (_, r) => (r.usedBy ? `${r.usedBy.displayName}（${r.usedBy.username}），${formatDateTime(r.usedAt)}` : '—'),
    },
    {
      title: '操作',
      key: 'actions',
      width: 90,
      render: (_, r) =>
        r.status === 'valid' ? (
          <Popconfirm
            title="撤销这个邀请链接？"
            description="撤销后该链接不能再用于注册。"
            okText="撤销"
            okButtonProps={{ danger: true }}
            cancelText="取消"
            onConfirm={async () => {
              try {
                await orgApi.revokeInvitation(r.id);
                void message.success('邀请链接已撤销');
                list.reload();
                onChange();
              } catch (err) {
                void message.error(errorMessage(err));
              }
            }}
          >
            <Button size="small" danger type="link">
              撤销
            </Button>
          </Popconfirm>
        ) : null,
    },
  ];

  return (
    <Card
      title="邀请证书负责人"
      extra={
        <Tooltip title={approved ? '' : '院校审核通过后才能邀请'}>
          <Button type="primary" onClick={() => void create()} loading={busy} disabled={!approved} data-testid="create-invitation">
            生成邀请链接
          </Button>
        </Tooltip>
      }
    >
      <Typography.Paragraph type="secondary">
        把邀请链接发给本院校的证书负责人；每个链接 7 天内有效，只能注册一次。证书负责人注册后由运营方审核。
      </Typography.Paragraph>
      {fresh && (
        <Alert
          type="success"
          showIcon
          style={{ marginBottom: 16 }}
          message="邀请链接已生成（请立即复制：出于安全考虑，链接只显示这一次）"
          description={
            <>
              <Typography.Paragraph copyable={{ text: fresh.link, tooltips: ['复制链接', '已复制'] }} style={{ marginBottom: 4, wordBreak: 'break-all' }} data-testid="invitation-link">
                <Typography.Text code>{fresh.link}</Typography.Text>
              </Typography.Paragraph>
              <Space>
                <Button size="small" onClick={() => void copy(fresh.link)} data-testid="copy-invitation">
                  复制链接
                </Button>
                <Typography.Text type="secondary">有效期至 {formatDateTime(fresh.expiresAt)}（北京时间）</Typography.Text>
              </Space>
            </>
          }
          closable
          onClose={() => setFresh(null)}
        />
      )}
      {list.error !== undefined && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={`加载失败：${errorMessage(list.error)}`} />}
      <Table<Invitation>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={list.data?.invitations ?? []}
        loading={list.loading}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        locale={{ emptyText: '尚未生成邀请链接' }}
        data-testid="invitations-table"
      />
    </Card>
  );
}
