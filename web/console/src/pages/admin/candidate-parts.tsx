// Pieces shared by 考生管理 and 报考: the candidate filters (院校 → 专业 → 班级,
// and a search) and how a candidate's registration is shown in a table.

import { useState } from 'react';
import { Tag, Typography } from 'antd';
import { LEVEL_LABELS } from '../../format';
import type { Candidate, CandidateFilter, ScopeOptions } from '../../admin/registration';

/**
 * The candidate filter and the search box's text. `setFilterPart` drops empty
 * parts and calls `onChange` (back to page 1); `majors` and `classes` are
 * those to offer under the chosen institution and major.
 */
export function useCandidateFilter(scope: ScopeOptions | undefined, onChange: () => void) {
  const [filter, setFilter] = useState<CandidateFilter>({});
  const [search, setSearch] = useState('');
  const setFilterPart = (part: Partial<CandidateFilter>) => {
    setFilter((f) => {
      const next = { ...f, ...part };
      for (const k of Object.keys(next) as (keyof CandidateFilter)[]) if (!next[k]) delete next[k];
      return next;
    });
    onChange();
  };
  const majors = (scope?.majors ?? []).filter((m) => !filter.institutionId || m.institutionId === filter.institutionId);
  const classes = (scope?.classes ?? []).filter(
    (c) => (!filter.institutionId || c.institutionId === filter.institutionId) && (!filter.majorId || c.majorId === filter.majorId),
  );
  return { filter, filterKey: JSON.stringify(filter), setFilterPart, search, setSearch, majors, classes };
}

/** A candidate's registration: the level and ticket number, or 未报考. */
export function RegistrationCell({ registration }: { registration: Candidate['registration'] }) {
  return registration ? (
    <span>
      <Tag color="blue">{LEVEL_LABELS[registration.level]}</Tag>
      <span style={{ fontFamily: 'monospace' }}>{registration.ticketNo}</span>
    </span>
  ) : (
    <Typography.Text type="secondary">未报考</Typography.Text>
  );
}
