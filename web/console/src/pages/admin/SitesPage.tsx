// 考核站点. The operator reviews applications (approve, or reject with a
// reason), disables sites and records the 考务协议. An institution's
// coordinator or admin applies for the institution's site and follows its
// status; the site technician sees it.

import { useMemo, useState } from 'react';
import {
  Alert, App, Button, Card, Descriptions, Empty, Form, Input, Segmented, Space, Table, Typography, type TableColumnsType,
} from 'antd';
import { errorMessage } from '../../api';
import { useLoader } from '../../hooks';
import { formatDateTime } from '../../format';
import { href, navigate } from '../../router';
import { getUser } from '../../session';
import { sitesApi, type SiteApplication, type SiteDetail, type SiteStatus, type SiteSummary } from '../../admin/sites';
import { AgreementSelect, AgreementTag, ReviewActions, SiteStatusTag } from './site-parts';

export function SitesPage() {
  const role = getUser()?.role;
  return role === 'operator' ? <OperatorSites /> : <InstitutionSites canApply={role === 'coordinator' || role === 'institution_admin'} />;
}

type Filter = SiteStatus | 'all';
const FILTERS: { value: Filter; label: string }[] = [
  { value: 'pending', label: '待审核' },
  { value: 'enabled', label: '已启用' },
  { value: 'rejected', label: '未通过' },
  { value: 'disabled', label: '已停用' },
  { value: 'all', label: '全部' },
];

function OperatorSites() {
  const sites = useLoader((signal) => sitesApi.sites(signal), []);
  const [filter, setFilter] = useState<Filter>('pending');
  const all = sites.data?.sites ?? [];
  const shown = filter === 'all' ? all : all.filter((s) => s.status === filter);
  const count = (f: Filter) => (f === 'all' ? all.length : all.filter((s) => s.status === f).length);

  const columns: TableColumnsType<SiteSummary> = [
    {
      title: '考核站点',
      key: 'name',
      render: (_, s) => (
        <div>
          <a href={href({ name: 'site', siteId: s.id })} data-testid="site-link">
            {s.name}
          </a>
          <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
            站点代码 {s.code} · {s.address}
          </Typography.Text>
        </div>
      ),
    },
    {
      title: '院校与联系人',
      key: 'institution',
      width: 180,
      render: (_, s) => (
        <div>
          {s.institution.name}
          <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
            院校代码 {s.institution.code}
          </Typography.Text>
          <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
            {s.contactName} {s.contactPhone}
          </Typography.Text>
        </div>
      ),
    },
    {
      title: '状态',
      key: 'status',
      width: 124,
      render: (_, s) => (
        <div>
          <SiteStatusTag site={s} />
          {s.reviewNote && (
            <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
              {s.status === 'rejected' ? '原因：' : '备注：'}
              {s.reviewNote}
            </Typography.Text>
          )}
        </div>
      ),
    },
    { title: '考务协议', key: 'agreement', width: 144, render: (_, s) => <AgreementSelect site={s} onChanged={() => sites.reload()} /> },
    {
      title: '考场',
      key: 'rooms',
      width: 92,
      render: (_, s) =>
        s.rooms ? (
          <div>
            {s.rooms} 个考场
            <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
              共 {s.seats} 个考位
            </Typography.Text>
          </div>
        ) : (
          <Typography.Text type="secondary">未设置</Typography.Text>
        ),
    },
    { title: '申请时间', key: 'createdAt', width: 100, render: (_, s) => formatDateTime(s.createdAt).slice(0, 16) },
    { title: '操作', key: 'actions', width: 136, render: (_, s) => <ReviewActions site={s} onChanged={() => sites.reload()} /> },
  ];

  return (
    <Card
      title="考核站点审核与管理"
      extra={
        <Button onClick={sites.reload} loading={sites.refreshing && !sites.loading}>
          刷新
        </Button>
      }
    >
      {sites.error !== undefined && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={`加载考核站点失败：${errorMessage(sites.error)}`} />}
      <Segmented<Filter>
        style={{ marginBottom: 16 }}
        value={filter}
        onChange={setFilter}
        options={FILTERS.map((f) => ({ value: f.value, label: `${f.label}（${count(f.value)}）` }))}
        data-testid="site-filter"
      />
      <Table<SiteSummary>
        rowKey="id"
        columns={columns}
        dataSource={shown}
        loading={sites.loading}
        size="middle"
        scroll={{ x: 960 }}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: filter === 'pending' ? '没有待审核的申请' : '暂无考核站点' }}
        data-testid="sites-table"
      />
    </Card>
  );
}

function InstitutionSites({ canApply }: { canApply: boolean }) {
  const sites = useLoader((signal) => sitesApi.sites(signal), []);
  const list = sites.data?.sites ?? [];
  const open = list.find((s) => s.status === 'enabled') ?? list.find((s) => s.status === 'pending');
  const history = list.filter((s) => s !== open);
  const lastRejected = history.find((s) => s.status === 'rejected');

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      {sites.error !== undefined && <Alert type="error" showIcon message={`加载考核站点失败：${errorMessage(sites.error)}`} action={<Button onClick={sites.reload}>重试</Button>} />}
      {sites.loading && <Card loading />}
      {sites.data && open && <OwnSite site={open} />}
      {sites.data && !open && canApply && <ApplyCard lastRejected={lastRejected} onApplied={(d) => navigate({ name: 'site', siteId: d.site.id })} />}
      {sites.data && !open && !canApply && (
        <Card title="考核站点">
          <Empty description="本院校尚无审核通过的考核站点，请联系证书负责人申请" />
        </Card>
      )}
      {history.length > 0 && (
        <Card title="以往申请" size="small">
          <Table<SiteSummary>
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={history}
            columns={[
              { title: '站点名称', dataIndex: 'name', key: 'name' },
              { title: '站点代码', dataIndex: 'code', key: 'code', width: 90 },
              { title: '状态', key: 'status', width: 130, render: (_, s) => <SiteStatusTag site={s} /> },
              { title: '原因', key: 'note', render: (_, s) => s.reviewNote ?? '—' },
              { title: '申请时间', key: 'at', width: 150, render: (_, s) => formatDateTime(s.createdAt).slice(0, 16) },
            ]}
          />
        </Card>
      )}
    </Space>
  );
}

function OwnSite({ site }: { site: SiteSummary }) {
  return (
    <Card
      title={
        <Space>
          <span>本院校考核站点</span>
          <SiteStatusTag site={site} />
          <AgreementTag status={site.agreementStatus} />
        </Space>
      }
      extra={
        <Button type="primary" href={href({ name: 'site', siteId: site.id })} data-testid="manage-rooms">
          {site.status === 'enabled' ? '管理考场' : '查看详情'}
        </Button>
      }
      data-testid="own-site"
    >
      {site.status === 'pending' && (
        <Alert type="info" showIcon style={{ marginBottom: 16 }} message="申请已提交，等待运营管理员审核（一般需 1–2 个工作日）。审核期间可先设置考场。" />
      )}
      {site.status === 'enabled' && site.agreementStatus !== 'signed' && (
        <Alert type="warning" showIcon style={{ marginBottom: 16 }} message="考前须与培训评价组织签署考核站点协议（考务协议），请联系区域经理获取协议模板。" />
      )}
      <Descriptions column={2} size="small" bordered>
        <Descriptions.Item label="站点名称">{site.name}</Descriptions.Item>
        <Descriptions.Item label="站点代码">{site.code}</Descriptions.Item>
        <Descriptions.Item label="地址" span={2}>
          {site.address}
        </Descriptions.Item>
        <Descriptions.Item label="联系人">{site.contactName}</Descriptions.Item>
        <Descriptions.Item label="联系电话">{site.contactPhone}</Descriptions.Item>
        <Descriptions.Item label="考场">{site.rooms ? `${site.rooms} 个，共 ${site.seats} 个考位` : '尚未设置'}</Descriptions.Item>
        <Descriptions.Item label="申请时间">{formatDateTime(site.createdAt).slice(0, 16)}（{site.createdBy}）</Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

function ApplyCard({ lastRejected, onApplied }: { lastRejected: SiteSummary | undefined; onApplied: (d: SiteDetail) => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<SiteApplication>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const initial = useMemo(
    () =>
      lastRejected
        ? { name: lastRejected.name, address: lastRejected.address, contactName: lastRejected.contactName, contactPhone: lastRejected.contactPhone }
        : undefined,
    [lastRejected],
  );
  const submit = async (values: SiteApplication) => {
    setSaving(true);
    setError(null);
    try {
      const d = await sitesApi.apply(values);
      void message.success('申请已提交，请等待审核');
      onApplied(d);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Card title="申请考核站点" data-testid="apply-card">
      {lastRejected && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          message={`上次申请未通过审核${lastRejected.reviewNote ? `：${lastRejected.reviewNote}` : ''}`}
          description="可修改后重新提交申请。"
        />
      )}
      <Typography.Paragraph type="secondary">
        考核站点应具有法人资格，有 5 人以上的专兼职管理人员；考场设在至少具有 40 个标准考位的机房，每个考场前后各一个摄像头，每 40 名考生配备 2
        名监考人员，每个考场配备 3 台备用机。审核通过并启用后，在“考场管理”中设置考场。
      </Typography.Paragraph>
      {error && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={error} data-testid="apply-error" />}
      <Form<SiteApplication> form={form} name="siteApply" layout="vertical" initialValues={initial} onFinish={(v) => void submit(v)} style={{ maxWidth: 560 }}>
        <Form.Item name="name" label="站点名称" rules={[{ required: true, whitespace: true, message: '请填写站点名称' }, { max: 60, message: '不能超过 60 个字' }]}>
          <Input placeholder="例如：某某职业技术学院考点" data-testid="site-name" />
        </Form.Item>
        <Form.Item name="address" label="站点地址" rules={[{ required: true, whitespace: true, message: '请填写站点地址' }, { max: 200, message: '不能超过 200 个字' }]}>
          <Input placeholder="省、市、区及详细地址" data-testid="site-address" />
        </Form.Item>
        <Space size={16} align="start">
          <Form.Item name="contactName" label="联系人" rules={[{ required: true, whitespace: true, message: '请填写联系人' }, { max: 30, message: '不能超过 30 个字' }]}>
            <Input style={{ width: 200 }} data-testid="site-contact" />
          </Form.Item>
          <Form.Item
            name="contactPhone"
            label="联系电话"
            rules={[
              { required: true, message: '请填写联系电话' },
              { pattern: /^(1\d{10}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$/, message: '请填写 11 位手机号或带区号的固定电话' },
            ]}
          >
            <Input style={{ width: 200 }} data-testid="site-phone" />
          </Form.Item>
        </Space>
        <Form.Item>
          <Button type="primary" htmlType="submit" loading={saving} data-testid="apply-submit">
            提交申请
          </Button>
        </Form.Item>
      </Form>
    </Card>
  );
}
