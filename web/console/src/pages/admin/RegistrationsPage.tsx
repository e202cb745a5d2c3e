// 报考管理 and 结算. 报考: pick a plan, a site and a level, select candidates
// (filtered by major and class) and register them in one batch; the list of
// registrations with their ticket numbers below. 结算: per site, what each
// institution pays for the plan, with totals and the Excel sheet.

import { useEffect, useMemo, useState, type ReactNode } from 'react';
import {
  Alert, App, Button, Card, Descriptions, Empty, Input, Popconfirm, Radio, Select, Space, Table, Tabs, Tag, Typography, type TableColumnsType,
} from 'antd';
import { ApiError, errorMessage } from '../../api';
import { useLoader, usePaging } from '../../hooks';
import { RegistrationCell, useCandidateFilter } from './candidate-parts';
import { PlanSelect } from '../../components/PlanSitePickers';
import { formatDateTime, LEVEL_LABELS, LEVEL_ORDER } from '../../format';
import { getUser } from '../../session';
import type { Level } from '../../types';
import {
  formatYuan, registrationApi, type Candidate, type PlanOption, type RegisterProblem, type Registration, type RegistrationOptions,
  type SettlementLine, type SiteSettlement,
} from '../../admin/registration';

export function RegistrationsPage() {
  const options = useLoader((signal) => registrationApi.registrationOptions(signal), []);
  const plans = options.data?.plans ?? [];
  const [planId, setPlanId] = useState<string | undefined>();
  const [tab, setTab] = useState<'register' | 'settlement'>('register');

  useEffect(() => {
    if (!planId && plans.length > 0) setPlanId((plans.find((p) => p.open) ?? plans[0]!).id);
  }, [planId, plans]);
  const plan = plans.find((p) => p.id === planId);

  return (
    <Card
      title={
        <Space size={12} style={{ padding: '8px 0' }} wrap>
          <span>报考与结算</span>
          <PlanSelect testId="plan-select" width={540} loading={options.loading} plans={plans} value={plan?.id} onChange={setPlanId} />
        </Space>
      }
      extra={
        <Button onClick={options.reload} loading={options.refreshing && !options.loading}>
          刷新
        </Button>
      }
    >
      {options.error !== undefined && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={`加载失败：${errorMessage(options.error)}`} action={<Button onClick={options.reload}>重试</Button>} />}
      {options.data && plans.length === 0 && <Empty description="暂无考试计划" />}
      {plan && options.data && (
        <>
          <PlanFacts plan={plan} />
          <Tabs
            activeKey={tab}
            onChange={(k) => setTab(k as typeof tab)}
            items={[
              { key: 'register', label: '报考', children: <RegisterTab key={plan.id} plan={plan} options={options.data} /> },
              { key: 'settlement', label: '结算', children: <SettlementTab key={plan.id} plan={plan} /> },
            ]}
          />
        </>
      )}
    </Card>
  );
}

function PlanFacts({ plan }: { plan: PlanOption }) {
  const fact = (label: string, value: ReactNode) => (
    <span style={{ whiteSpace: 'nowrap' }}>
      <Typography.Text type="secondary">{label}：</Typography.Text>
      {value}
    </span>
  );
  return (
    <div data-testid="plan-facts" style={{ display: 'flex', flexWrap: 'wrap', gap: '8px 40px', marginBottom: 8 }}>
      {fact('考试日期', plan.examDate)}
      {fact('计划编号', plan.code ?? <Typography.Text type="warning">未设置</Typography.Text>)}
      {fact(
        '报名截止',
        <>
          {plan.deadline ? `${formatDateTime(plan.deadline).slice(0, 16)}（北京时间）` : '未设置'}
          {!plan.open && (
            <Tag color="red" style={{ marginInlineStart: 8 }}>
              {plan.code ? '已截止' : '暂不能报考'}
            </Tag>
          )}
        </>,
      )}
      {fact('可报等级', plan.levels.map((l) => LEVEL_LABELS[l]).join('、') || '—')}
    </div>
  );
}

// ---------------------------------------------------------------------------
// 报考

type Outcome =
  | { kind: 'ok'; count: number; first: string; last: string; level: Level; siteName: string }
  | { kind: 'refused'; message: string; problems: RegisterProblem[] };

function RegisterTab({ plan, options }: { plan: PlanOption; options: RegistrationOptions }) {
  const { message } = App.useApp();
  const user = getUser();
  const isOperator = user?.role === 'operator';
  const scope = useLoader((signal) => registrationApi.scopeOptions(signal), []);
  const ownSite = options.sites.find((s) => s.own);
  const [siteId, setSiteId] = useState<string | undefined>(ownSite?.id);
  const [level, setLevel] = useState<Level | undefined>(plan.levels.length === 1 ? plan.levels[0] : undefined);
  const { page, pageSize, setPage, pagination } = usePaging(50, [50, 100, 200, 500]);
  const { filter, filterKey, setFilterPart, search, setSearch, majors, classes } = useCandidateFilter(scope.data, () => setPage(1));
  const [selected, setSelected] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const candidates = useLoader((signal) => registrationApi.candidates({ ...filter, planId: plan.id }, page, pageSize, signal), [filterKey, page, pageSize, plan.id]);
  const [listTick, setListTick] = useState(0);

  const site = options.sites.find((s) => s.id === siteId);
  const levels = plan.levels.length > 0 ? plan.levels : LEVEL_ORDER;

  const missing = !siteId ? '请选择考核站点' : !level ? '请选择报考等级' : selected.length === 0 ? '请在下表中勾选考生' : null;

  async function register() {
    if (!siteId || !level || selected.length === 0) return;
    setBusy(true);
    setOutcome(null);
    try {
      const r = await registrationApi.register({ planId: plan.id, siteId, level, candidateIds: selected });
      const tickets = r.registrations.map((x) => x.ticketNo).sort();
      setOutcome({ kind: 'ok', count: r.registered, first: tickets[0] ?? '', last: tickets[tickets.length - 1] ?? '', level, siteName: site?.name ?? '' });
      void message.success(`已报考 ${r.registered} 名考生`);
      setSelected([]);
      candidates.reload();
      setListTick((t) => t + 1);
    } catch (err) {
      const problems = err instanceof ApiError && Array.isArray(err.extra.problems) ? (err.extra.problems as RegisterProblem[]) : [];
      setOutcome({ kind: 'refused', message: errorMessage(err), problems });
    } finally {
      setBusy(false);
    }
  }

  const columns: TableColumnsType<Candidate> = [
    { title: '姓名', dataIndex: 'name', key: 'name', width: 96 },
    { title: '性别', dataIndex: 'gender', key: 'gender', width: 56, align: 'center', render: (g: string | null) => g ?? '—' },
    { title: '证件号码', dataIndex: 'idNumber', key: 'idNumber', width: 180, render: (n: string) => <span style={{ fontFamily: 'monospace' }}>{n}</span> },
    ...(isOperator ? [{ title: '院校', dataIndex: 'institutionName', key: 'institution', width: 180, ellipsis: true, render: (v: string | null) => v ?? '—' }] : []),
    { title: '专业', dataIndex: 'majorName', key: 'major', width: 130, render: (v: string | null) => v ?? '—' },
    { title: '班级', dataIndex: 'className', key: 'class', width: 100, render: (v: string | null) => v ?? '—' },
    {
      title: '本计划报考',
      key: 'registration',
      render: (_, c) => <RegistrationCell registration={c.registration} />,
    },
  ];

  return (
    <>
      {!plan.open && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          message={plan.code ? `报名已截止（截止时间 ${formatDateTime(plan.deadline).slice(0, 16)}），不能再报考或取消报考` : '该考试计划还没有编号，暂不能报考'}
        />
      )}
      <Space wrap size={16} style={{ marginBottom: 16 }}>
        <Space>
          <Typography.Text>考核站点</Typography.Text>
          <Select<string>
            style={{ width: 400 }}
            showSearch
            optionFilterProp="label"
            aria-label="考核站点"
            data-testid="site-select"
            placeholder="请选择考核站点"
            value={siteId}
            onChange={setSiteId}
            options={options.sites.map((s) => ({ value: s.id, label: `${s.name}（${s.code}）${s.own ? ' · 本院校' : ''}` }))}
            notFoundContent="暂无已启用的考核站点"
          />
        </Space>
        <Space>
          <Typography.Text>报考等级</Typography.Text>
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            aria-label="报考等级"
            value={level}
            onChange={(e) => setLevel(e.target.value as Level)}
            options={levels.map((l) => ({ value: l, label: LEVEL_LABELS[l] }))}
          />
        </Space>
      </Space>

      <Space wrap style={{ marginBottom: 12 }}>
        {isOperator && (
          <Select<string>
            allowClear
            showSearch
            optionFilterProp="label"
            style={{ width: 220 }}
            placeholder="全部院校"
            aria-label="按院校筛选"
            value={filter.institutionId}
            onChange={(v) => setFilterPart({ institutionId: v, majorId: undefined, classId: undefined })}
            options={(scope.data?.institutions ?? []).map((i) => ({ value: i.id, label: i.name }))}
          />
        )}
        <Select<string>
          allowClear
          style={{ width: 170 }}
          placeholder="全部专业"
          aria-label="按专业筛选"
          value={filter.majorId}
          onChange={(v) => setFilterPart({ majorId: v, classId: undefined })}
          options={majors.map((m) => ({ value: m.id, label: m.name }))}
        />
        <Select<string>
          allowClear
          style={{ width: 150 }}
          placeholder="全部班级"
          aria-label="按班级筛选"
          value={filter.classId}
          onChange={(v) => setFilterPart({ classId: v })}
          options={classes.map((c) => ({ value: c.id, label: c.name }))}
        />
        <Input.Search
          allowClear
          style={{ width: 240 }}
          placeholder="姓名或证件号码"
          aria-label="搜索考生"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          onSearch={(v) => setFilterPart({ q: v.trim() || undefined })}
        />
      </Space>

      {outcome?.kind === 'ok' && (
        <Alert
          data-testid="register-result"
          type="success"
          showIcon
          closable
          onClose={() => setOutcome(null)}
          style={{ marginBottom: 12 }}
          message={`报考成功：${outcome.count} 名考生报考${LEVEL_LABELS[outcome.level]}，考核站点 ${outcome.siteName}`}
          description={`准考证号 ${outcome.first}${outcome.count > 1 ? ` 至 ${outcome.last}` : ''}`}
        />
      )}
      {outcome?.kind === 'refused' && (
        <Alert
          data-testid="register-refused"
          type="error"
          showIcon
          closable
          onClose={() => setOutcome(null)}
          style={{ marginBottom: 12 }}
          message={outcome.problems.length > 1 ? `${outcome.problems.length} 名考生不能报考，本批未报考任何考生` : '报考未成功'}
          description={
            outcome.problems.length > 1 ? (
              <ul style={{ margin: 0, paddingInlineStart: 20, maxHeight: 200, overflow: 'auto' }}>
                {outcome.problems.map((p) => (
                  <li key={p.candidateId}>{p.reason}</li>
                ))}
              </ul>
            ) : (
              outcome.message
            )
          }
        />
      )}
      {candidates.error !== undefined && <Alert type="error" showIcon style={{ marginBottom: 12 }} message={`加载考生失败：${errorMessage(candidates.error)}`} />}

      <div style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: 12, marginBottom: 8, flexWrap: 'wrap' }}>
        <Typography.Text>
          已选 <Typography.Text strong data-testid="selected-count">{selected.length}</Typography.Text> 名考生
          {selected.length > 0 && (
            <Button type="link" size="small" onClick={() => setSelected([])}>
              清除选择
            </Button>
          )}
        </Typography.Text>
        <Space>
          {missing && <Typography.Text type="secondary">{missing}</Typography.Text>}
          <Button type="primary" disabled={Boolean(missing) || !plan.open} loading={busy} onClick={() => void register()} data-testid="register-button">
            报考{selected.length > 0 ? `（${selected.length} 人${level ? `，${LEVEL_LABELS[level]}` : ''}）` : ''}
          </Button>
        </Space>
      </div>
      <Table<Candidate>
        data-testid="register-candidates"
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={candidates.data?.rows ?? []}
        loading={candidates.refreshing}
        scroll={{ x: 'max-content' }}
        rowSelection={{
          selectedRowKeys: selected,
          preserveSelectedRowKeys: true,
          onChange: (keys) => setSelected(keys as string[]),
          getCheckboxProps: (c) => ({ disabled: Boolean(c.registration && c.registration.planId === plan.id), 'aria-label': `选择 ${c.name}` }),
        }}
        locale={{ emptyText: '没有符合条件的考生' }}
        pagination={pagination(candidates.data?.total ?? 0, (n) => `共 ${n} 名考生`)}
      />

      <RegistrationList key={listTick} plan={plan} options={options} onChanged={candidates.reload} />
    </>
  );
}

function RegistrationList({ plan, options, onChanged }: { plan: PlanOption; options: RegistrationOptions; onChanged: () => void }) {
  const { message } = App.useApp();
  const [siteId, setSiteId] = useState<string | undefined>();
  const [level, setLevel] = useState<Level | undefined>();
  const [q, setQ] = useState<string | undefined>();
  const { page, pageSize, setPage, pagination } = usePaging(20);
  const list = useLoader((signal) => registrationApi.registrations({ planId: plan.id, siteId, level, q }, page, pageSize, signal), [plan.id, siteId, level, q, page, pageSize]);

  async function withdraw(r: Registration) {
    try {
      await registrationApi.withdraw(r.id);
      void message.success(`已取消 ${r.name} 的报考`);
      list.reload();
      onChanged();
    } catch (err) {
      void message.error(errorMessage(err));
    }
  }

  const columns: TableColumnsType<Registration> = [
    { title: '准考证号', dataIndex: 'ticketNo', key: 'ticketNo', width: 140, render: (t: string) => <span style={{ fontFamily: 'monospace' }}>{t}</span> },
    { title: '姓名', dataIndex: 'name', key: 'name', width: 96 },
    { title: '等级', dataIndex: 'level', key: 'level', width: 64, render: (l: Level) => LEVEL_LABELS[l] },
    { title: '证件号码', dataIndex: 'idNumber', key: 'idNumber', width: 180, render: (n: string) => <span style={{ fontFamily: 'monospace' }}>{n}</span> },
    { title: '院校', dataIndex: 'institutionName', key: 'institution', width: 170, ellipsis: true, render: (v: string | null) => v ?? '—' },
    { title: '班级', dataIndex: 'className', key: 'class', width: 90, render: (v: string | null) => v ?? '—' },
    {
      title: '考核站点',
      dataIndex: 'siteName',
      key: 'site',
      width: 170,
      ellipsis: true,
      render: (v: string | null, r) => <span title={`报考时间 ${formatDateTime(r.createdAt)}`}>{v ?? '—'}</span>,
    },
    {
      title: '操作',
      key: 'actions',
      width: 90,
      fixed: 'right',
      render: (_, r) =>
        r.mine ? (
          <Popconfirm title={`取消 ${r.name} 的报考？`} description="准考证号作废，不再使用。" okText="取消报考" okButtonProps={{ danger: true }} cancelText="不取消" onConfirm={() => withdraw(r)}>
            <Button size="small" type="link" danger disabled={!plan.open}>
              取消报考
            </Button>
          </Popconfirm>
        ) : (
          <Typography.Text type="secondary">—</Typography.Text>
        ),
    },
  ];

  return (
    <Card type="inner" title="报考名单" style={{ marginTop: 24 }} data-testid="registrations-card">
      <Space wrap style={{ marginBottom: 12 }}>
        <Select<string>
          allowClear
          style={{ width: 280 }}
          placeholder="全部考核站点"
          aria-label="按考核站点筛选报考名单"
          value={siteId}
          onChange={(v) => {
            setSiteId(v);
            setPage(1);
          }}
          options={options.sites.map((s) => ({ value: s.id, label: `${s.name}（${s.code}）` }))}
        />
        <Select<Level>
          allowClear
          style={{ width: 120 }}
          placeholder="全部等级"
          aria-label="按等级筛选报考名单"
          value={level}
          onChange={(v) => {
            setLevel(v);
            setPage(1);
          }}
          options={LEVEL_ORDER.map((l) => ({ value: l, label: LEVEL_LABELS[l] }))}
        />
        <Input.Search
          allowClear
          style={{ width: 260 }}
          placeholder="姓名、准考证号或证件号码"
          aria-label="搜索报考名单"
          onSearch={(v) => {
            setQ(v.trim() || undefined);
            setPage(1);
          }}
        />
      </Space>
      {list.error !== undefined && <Alert type="error" showIcon style={{ marginBottom: 12 }} message={`加载报考名单失败：${errorMessage(list.error)}`} />}
      <Table<Registration>
        data-testid="registrations-table"
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={list.data?.rows ?? []}
        loading={list.refreshing}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: '本计划还没有报考' }}
        pagination={pagination(list.data?.total ?? 0, (n) => `共 ${n} 人`)}
      />
    </Card>
  );
}

// ---------------------------------------------------------------------------
// 结算

function SettlementTab({ plan }: { plan: PlanOption }) {
  const data = useLoader((signal) => registrationApi.settlements(plan.id, undefined, signal), [plan.id]);
  const s = data.data;
  return (
    <>
      {data.error !== undefined && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={`加载结算失败：${errorMessage(data.error)}`} action={<Button onClick={data.reload}>重试</Button>} />}
      {s && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          message={`收费标准：${s.rule}。考核站点所在院校可直接缴纳 240 元/人，不涉及返费；其他院校缴纳 300 元/人，返还 60 元/人。`}
        />
      )}
      {s && s.sites.length === 0 && <Empty description="本计划还没有报考，暂无结算" />}
      {s?.sites.map((site) => <SiteSettlementCard key={site.siteId} site={site} planId={plan.id} planName={s.plan.name} />)}
      {s && s.sites.length > 1 && (
        <Descriptions bordered size="small" column={4} title="全部站点合计" data-testid="settlement-grand-total">
          <Descriptions.Item label="报考人次">{s.totals.registrations}</Descriptions.Item>
          <Descriptions.Item label="应缴">{formatYuan(s.totals.payable)}</Descriptions.Item>
          <Descriptions.Item label="返还">{formatYuan(s.totals.refund)}</Descriptions.Item>
          <Descriptions.Item label="实缴">{formatYuan(s.totals.net)}</Descriptions.Item>
        </Descriptions>
      )}
    </>
  );
}

function SiteSettlementCard({ site, planId, planName }: { site: SiteSettlement; planId: string; planName: string }) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const columns: TableColumnsType<SettlementLine> = useMemo(
    () => [
      {
        title: '院校',
        dataIndex: 'institutionName',
        key: 'institution',
        render: (name: string, l) => (
          <span>
            {name}
            {l.institutionId === site.siteInstitutionId && (
              <Tag color="blue" style={{ marginInlineStart: 8, whiteSpace: 'nowrap' }}>
                站点院校
              </Tag>
            )}
          </span>
        ),
      },
      { title: '报考人次', dataIndex: 'registrations', key: 'registrations', width: 96, align: 'right' },
      { title: '应缴金额', dataIndex: 'payable', key: 'payable', width: 130, align: 'right', render: formatYuan },
      { title: '返还金额', dataIndex: 'refund', key: 'refund', width: 130, align: 'right', render: formatYuan },
      { title: '实缴金额', dataIndex: 'net', key: 'net', width: 130, align: 'right', render: formatYuan },
      { title: '结算方式', dataIndex: 'mode', key: 'mode', width: 200 },
    ],
    [site.siteInstitutionId],
  );
  async function exportSheet() {
    setBusy(true);
    try {
      await registrationApi.exportSettlement(planId, site, planName);
    } catch (err) {
      void message.error(`导出失败：${errorMessage(err)}`);
    } finally {
      setBusy(false);
    }
  }
  return (
    <Card
      type="inner"
      style={{ marginBottom: 16 }}
      data-testid="site-settlement"
      title={
        <span>
          {site.siteName}（{site.siteCode}）
          <Typography.Text type="secondary" style={{ fontWeight: 'normal', marginInlineStart: 8 }}>
            站点院校：{site.siteInstitutionName}
          </Typography.Text>
          {site.partial && <Tag color="orange" style={{ marginInlineStart: 8 }}>仅显示本院校</Tag>}
        </span>
      }
      extra={
        <Button onClick={() => void exportSheet()} loading={busy}>
          导出 Excel
        </Button>
      }
    >
      <Table<SettlementLine>
        rowKey="institutionId"
        size="small"
        pagination={false}
        columns={columns}
        dataSource={site.lines}
        summary={() => (
          <Table.Summary.Row style={{ fontWeight: 600, background: '#fafafa' }} data-testid="settlement-total">
            <Table.Summary.Cell index={0}>合计</Table.Summary.Cell>
            <Table.Summary.Cell index={1} align="right">{site.totals.registrations}</Table.Summary.Cell>
            <Table.Summary.Cell index={2} align="right">{formatYuan(site.totals.payable)}</Table.Summary.Cell>
            <Table.Summary.Cell index={3} align="right">{formatYuan(site.totals.refund)}</Table.Summary.Cell>
            <Table.Summary.Cell index={4} align="right">{formatYuan(site.totals.net)}</Table.Summary.Cell>
            <Table.Summary.Cell index={5} />
          </Table.Summary.Row>
        )}
      />
      {!site.partial && (
        <Typography.Paragraph type="secondary" style={{ margin: '12px 0 0' }} data-testid="settlement-shares">
          其中培训评价组织收入 {formatYuan(site.totals.operatorShare)}（240 元/人），考核站点收入 {formatYuan(site.totals.siteShare)}（60 元/人）。
        </Typography.Paragraph>
      )}
      {site.partial && (
        <Typography.Paragraph type="secondary" style={{ margin: '12px 0 0' }}>
          该考核站点属于其他院校，这里只显示本院校在该站点的报考与费用。
        </Typography.Paragraph>
      )}
    </Card>
  );
}
