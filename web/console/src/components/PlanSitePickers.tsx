// The plan and site pickers in the title of the pages that work on one exam
// plan (and one site): 考场编排, 考前准备, 报考与结算, 成绩.

import { Empty, Select } from 'antd';
import { href } from '../router';

/** 考试计划: the plans by name and exam date. */
export function PlanSelect({ testId, width, loading, plans, value, onChange, searchable = false }: {
  testId: string;
  width: number;
  loading: boolean;
  plans: readonly { id: string; name: string; examDate: string }[];
  value: string | undefined;
  onChange: (planId: string) => void;
  /** Type to filter the plans by name. */
  searchable?: boolean;
}) {
  return (
    <Select<string>
      style={{ width, fontWeight: 'normal' }}
      aria-label="考试计划"
      data-testid={testId}
      placeholder={loading ? '正在加载考试计划…' : '请选择考试计划'}
      loading={loading}
      value={value}
      onChange={onChange}
      {...(searchable ? { showSearch: true, optionFilterProp: 'label' } : {})}
      options={plans.map((p) => ({ value: p.id, label: `${p.name}（${p.examDate}）` }))}
      notFoundContent="暂无考试计划"
    />
  );
}

/** 考核站点: the sites by name and code (type to filter). */
export function SiteSelect<S extends { id: string; name: string; code: string }>({ testId, width, loading, sites, value, onChange, suffix }: {
  testId: string;
  width: number;
  loading: boolean;
  sites: readonly S[];
  value: string | undefined;
  onChange: (siteId: string) => void;
  /** Said after the name and code, e.g. that the site is disabled. */
  suffix?: (site: S) => string;
}) {
  return (
    <Select<string>
      style={{ width, fontWeight: 'normal' }}
      aria-label="考核站点"
      data-testid={testId}
      placeholder={loading ? '正在加载考核站点…' : '请选择考核站点'}
      loading={loading}
      value={value}
      onChange={onChange}
      showSearch
      optionFilterProp="label"
      options={sites.map((s) => ({ value: s.id, label: `${s.name}（${s.code}）${suffix ? suffix(s) : ''}` }))}
      notFoundContent="暂无考核站点"
    />
  );
}

/** No approved site yet: where to get one. */
export function NoSitesEmpty() {
  return <Empty description={<span>暂无审核通过的考核站点。<a href={href({ name: 'sites' })}>前往考核站点</a></span>} />;
}
