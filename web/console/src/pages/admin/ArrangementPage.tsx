// 考场编排、监考安排、打印 for one plan at one site: the operator picks any
// site, a coordinator sees their institution's. Tabs: 考场编排 (seat maps,
// 发布), 监考安排 (proctors with 回避, 主考), 打印 (准考证, 门贴, 桌贴, 签到表).

import { useEffect, useState } from 'react';
import { Alert, Card, Empty, Space, Tabs } from 'antd';
import { errorMessage } from '../../api';
import { useLoader } from '../../hooks';
import { NoSitesEmpty, PlanSelect, SiteSelect } from '../../components/PlanSitePickers';
import { arrangementApi, type ArrangementTargets } from '../../admin/arrangement';
import { ArrangeTab } from './arrangement/ArrangeTab';
import { ProctorTab } from './arrangement/ProctorTab';
import { PrintTab } from './arrangement/PrintTab';

/** The plan to show first: the next exam date from today (Beijing), else the latest. */
function defaultPlan(plans: ArrangementTargets['plans']): string | undefined {
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const coming = plans.filter((p) => p.examDate >= today).sort((a, b) => a.examDate.localeCompare(b.examDate));
  return (coming[0] ?? plans[0])?.id;
}

export function ArrangementPage() {
  const targets = useLoader((signal) => arrangementApi.targets(signal), []);
  const [planId, setPlanId] = useState<string | undefined>();
  const [siteId, setSiteId] = useState<string | undefined>();
  const [tab, setTab] = useState('arrange');
  const plans = targets.data?.plans ?? [];
  const sites = targets.data?.sites ?? [];

  useEffect(() => {
    if (!planId && targets.data) setPlanId(defaultPlan(targets.data.plans));
    if (!siteId && targets.data?.sites.length) setSiteId((targets.data.sites.find((s) => s.status === 'enabled') ?? targets.data.sites[0]!).id);
  }, [planId, siteId, targets.data]);

  return (
    <Card
      title={
        <Space size={12} wrap style={{ padding: '8px 0' }}>
          <span>考场编排</span>
          <PlanSelect testId="arrangement-plan" width={380} loading={targets.loading} plans={plans} value={planId} onChange={setPlanId} searchable />
          <SiteSelect
            testId="arrangement-site"
            width={300}
            loading={targets.loading}
            sites={sites}
            value={siteId}
            onChange={setSiteId}
            suffix={(s) => (s.status === 'enabled' ? '' : ' · 已停用')}
          />
        </Space>
      }
    >
      {targets.error !== undefined && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={`加载失败：${errorMessage(targets.error)}`} />}
      {targets.data && sites.length === 0 && <NoSitesEmpty />}
      {targets.data && plans.length === 0 && <Empty description="暂无考试计划" />}
      {planId && siteId && (
        <Tabs
          key={`${planId}/${siteId}`}
          activeKey={tab}
          onChange={setTab}
          destroyOnHidden
          items={[
            { key: 'arrange', label: '考场编排', children: <ArrangeTab planId={planId} siteId={siteId} /> },
            { key: 'proctors', label: '监考安排', children: <ProctorTab planId={planId} siteId={siteId} /> },
            { key: 'print', label: '打印', children: <PrintTab planId={planId} siteId={siteId} /> },
          ]}
        />
      )}
    </Card>
  );
}
