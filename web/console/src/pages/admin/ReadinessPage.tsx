// 考前准备: for a plan and a site, the manual's exam-day timeline (a week
// before … 5 minutes before) as a checklist the server computes from the data
// (rooms, registrations, the arrangement, proctors, prints, log-ins) and from
// the marks the site sets by hand. Refreshes every 30 seconds.

import { useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Empty, Form, Input, Modal, Space, Tag, Timeline, Typography } from 'antd';
import { errorMessage } from '../../api';
import { useInterval, useLoader } from '../../hooks';
import { formatDateTime } from '../../format';
import { NoSitesEmpty, PlanSelect, SiteSelect } from '../../components/PlanSitePickers';
import {
  READINESS_COLORS, READINESS_LABELS, sitesApi, type Readiness, type ReadinessItem, type ReadinessPlan, type ReadinessState,
} from '../../admin/sites';

/** The plan to show first: the next one to start, else the latest. */
function defaultPlan(plans: ReadinessPlan[]): ReadinessPlan | undefined {
  const now = Date.now();
  const coming = plans.filter((p) => p.firstStartsAt && Date.parse(p.firstStartsAt) + 12 * 3600_000 > now);
  coming.sort((a, b) => Date.parse(a.firstStartsAt!) - Date.parse(b.firstStartsAt!));
  return coming[0] ?? plans[0];
}

export function ReadinessPage() {
  const plans = useLoader((signal) => sitesApi.readinessPlans(signal), []);
  const sites = useLoader((signal) => sitesApi.sites(signal), []);
  const usableSites = useMemo(() => (sites.data?.sites ?? []).filter((s) => s.status === 'enabled' || s.status === 'pending'), [sites.data]);
  const [planId, setPlanId] = useState<string | undefined>();
  const [siteId, setSiteId] = useState<string | undefined>();

  useEffect(() => {
    if (!planId && plans.data) setPlanId(defaultPlan(plans.data.plans)?.id);
  }, [planId, plans.data]);
  useEffect(() => {
    if (!siteId && usableSites.length) setSiteId((usableSites.find((s) => s.status === 'enabled') ?? usableSites[0]!).id);
  }, [siteId, usableSites]);

  const error = plans.error ?? sites.error;
  return (
    <Card
      title={
        <Space size={12} wrap style={{ padding: '8px 0' }}>
          <span>考前准备</span>
          <PlanSelect testId="readiness-plan" width={400} loading={plans.loading} plans={plans.data?.plans ?? []} value={planId} onChange={setPlanId} />
          <SiteSelect testId="readiness-site" width={320} loading={sites.loading} sites={usableSites} value={siteId} onChange={setSiteId} />
        </Space>
      }
    >
      {error !== undefined && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={`加载失败：${errorMessage(error)}`} />}
      {sites.data && usableSites.length === 0 && <NoSitesEmpty />}
      {plans.data && plans.data.plans.length === 0 && <Empty description="暂无考试计划" />}
      {planId && siteId && <Checklist key={`${planId}/${siteId}`} planId={planId} siteId={siteId} />}
    </Card>
  );
}

const STATE_ORDER: ReadinessState[] = ['overdue', 'missing', 'upcoming', 'done'];

function phaseColor(items: ReadinessItem[]): string {
  if (items.some((i) => i.state === 'overdue')) return 'red';
  if (items.some((i) => i.state === 'missing')) return 'orange';
  if (items.every((i) => i.state === 'done')) return 'green';
  return 'gray';
}

function Checklist({ planId, siteId }: { planId: string; siteId: string }) {
  const loaded = useLoader((signal) => sitesApi.readiness(planId, siteId, signal), [planId, siteId]);
  const [fresh, setFresh] = useState<Readiness | null>(null);
  useEffect(() => setFresh(null), [loaded.data]);
  useInterval(loaded.reload, 30_000);
  const data = fresh ?? loaded.data;
  const [marking, setMarking] = useState<ReadinessItem | null>(null);

  if (!data) {
    return loaded.error !== undefined ? (
      <Alert type="error" showIcon message={`加载考前准备失败：${errorMessage(loaded.error)}`} action={<Button onClick={loaded.reload}>重试</Button>} />
    ) : (
      <Card loading bordered={false} />
    );
  }
  const counts = STATE_ORDER.map((s) => [s, data.items.filter((i) => i.state === s).length] as const);
  return (
    <div data-testid="readiness">
      <Descriptions size="small" column={3} style={{ marginBottom: 12 }}>
        <Descriptions.Item label="站点状态">
          <Tag color={data.site.status === 'enabled' ? 'success' : 'warning'}>{data.site.statusName}</Tag>
        </Descriptions.Item>
        <Descriptions.Item label="首场开考">{data.plan.firstStartsAt ? `${formatDateTime(data.plan.firstStartsAt).slice(0, 16)}（北京时间）` : '尚无场次'}</Descriptions.Item>
        <Descriptions.Item label="本站点报考">{data.registered} 人</Descriptions.Item>
      </Descriptions>
      <Space size={8} wrap style={{ marginBottom: 16 }} data-testid="readiness-summary">
        {counts.map(([state, n]) => (
          <Tag key={state} color={READINESS_COLORS[state]} style={{ fontSize: 13, padding: '2px 10px' }}>
            {READINESS_LABELS[state]} {n}
          </Tag>
        ))}
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          按服务器时间 {formatDateTime(data.now).slice(0, 16)} 计算，每 30 秒刷新
        </Typography.Text>
        <Button size="small" onClick={loaded.reload} loading={loaded.refreshing}>
          刷新
        </Button>
      </Space>
      {loaded.error !== undefined && <Alert type="warning" showIcon style={{ marginBottom: 12 }} message={`刷新失败，显示的是上次的结果：${errorMessage(loaded.error)}`} />}
      <Timeline
        items={data.phases.map((phase) => {
          const items = data.items.filter((i) => i.phase === phase.key);
          const due = items[0]?.due;
          return {
            color: phaseColor(items),
            children: (
              <div data-testid={`phase-${phase.key}`}>
                <Typography.Text strong style={{ fontSize: 15 }}>
                  {phase.title}
                </Typography.Text>
                {due && (
                  <Typography.Text type="secondary" style={{ marginInlineStart: 8, fontSize: 12 }}>
                    截止 {formatDateTime(due).slice(0, 16)}
                  </Typography.Text>
                )}
                <div style={{ marginTop: 8 }}>
                  {items.map((item) => (
                    <ItemRow key={item.key} item={item} canMark={data.canMark} onMark={() => setMarking(item)} planId={planId} siteId={siteId} onChanged={setFresh} />
                  ))}
                </div>
              </div>
            ),
          };
        })}
      />
      <MarkModal item={marking} planId={planId} siteId={siteId} onClose={() => setMarking(null)} onDone={(r) => { setMarking(null); setFresh(r); }} />
    </div>
  );
}

function ItemRow({
  item, canMark, onMark, planId, siteId, onChanged,
}: { item: ReadinessItem; canMark: boolean; onMark: () => void; planId: string; siteId: string; onChanged: (r: Readiness) => void }) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const unmark = async () => {
    setBusy(true);
    try {
      onChanged(await sitesApi.unmark(planId, siteId, item.key));
    } catch (err) {
      void message.error(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div
      data-testid={`item-${item.key}`}
      data-state={item.state}
      style={{ display: 'flex', alignItems: 'flex-start', gap: 12, padding: '8px 12px', marginBottom: 6, background: '#fafafa', borderRadius: 6, border: '1px solid #f0f0f0' }}
    >
      <Tag color={READINESS_COLORS[item.state]} style={{ minWidth: 64, textAlign: 'center', marginTop: 2 }}>
        {READINESS_LABELS[item.state]}
      </Tag>
      <div style={{ flex: 1, minWidth: 0 }}>
        <div>
          <Typography.Text strong>{item.title}</Typography.Text>
          {item.manual && (
            <Tag bordered={false} style={{ marginInlineStart: 8, fontSize: 12 }}>
              手工确认
            </Tag>
          )}
        </div>
        <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>
          {item.description}
        </Typography.Text>
        <Typography.Text style={{ fontSize: 13 }} data-testid="item-detail">
          {item.detail}
        </Typography.Text>
      </div>
      <div style={{ textAlign: 'right', whiteSpace: 'nowrap' }}>
        <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>
          {formatDateTime(item.due).slice(0, 16)} 前
        </Typography.Text>
        {item.manual && canMark && (
          <div style={{ marginTop: 4 }}>
            {item.mark ? (
              <Button size="small" onClick={() => void unmark()} loading={busy}>
                撤销确认
              </Button>
            ) : (
              <Button size="small" type="primary" onClick={onMark} data-testid={`mark-${item.key}`}>
                确认完成
              </Button>
            )}
          </div>
        )}
      </div>
    </div>
  );
}

function MarkModal({ item, planId, siteId, onClose, onDone }: { item: ReadinessItem | null; planId: string; siteId: string; onClose: () => void; onDone: (r: Readiness) => void }) {
  const [form] = Form.useForm<{ note?: string }>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (item) {
      form.resetFields();
      setError(null);
    }
  }, [item, form]);
  const submit = async () => {
    if (!item) return;
    const values = await form.validateFields().catch(() => null); // the form shows what is wrong
    if (!values) return;
    const { note } = values;
    setSaving(true);
    try {
      onDone(await sitesApi.mark(planId, siteId, item.key, note?.trim() || undefined));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal title={item ? `确认完成：${item.title}` : ''} open={item !== null} onCancel={onClose} onOk={() => void submit()} okText="确认完成" cancelText="取消" okButtonProps={{ loading: saving }} destroyOnHidden>
      {item && <Typography.Paragraph type="secondary">{item.description}</Typography.Paragraph>}
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Form form={form} name="readinessMark" layout="vertical">
        <Form.Item name="note" label="备注（可选）" rules={[{ max: 200, message: '不能超过 200 个字' }]}>
          <Input.TextArea rows={2} maxLength={200} placeholder="例如：6 个考场已封场，监控回放已抽查" data-testid="mark-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
