// 操作日志: who changed what and when (Beijing time), with the values before
// and after. Under "登录此账号" the line names the coordinator who really acted.

import { useMemo, useState } from 'react';
import { Alert, Button, Card, DatePicker, Form, Input, Select, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import type { Dayjs } from 'dayjs';
import { errorMessage } from '../../api';
import { useLoader } from '../../hooks';
import { auditValueLabel, formatDateTime, type AuditNames } from '../../format';
import { auditFieldName, auditValueName, auditValueNames, orgApi, type AuditEntry, type AuditFilter } from '../../admin/organizations';

interface FilterForm {
  entity?: string;
  action?: string;
  actor?: string;
  range?: [Dayjs | null, Dayjs | null] | null;
}

/** A Beijing calendar day's first or last instant, as UTC ISO. */
function beijingDay(d: Dayjs, end: boolean): string {
  return new Date(`${d.format('YYYY-MM-DD')}T${end ? '23:59:59.999' : '00:00:00.000'}+08:00`).toISOString();
}

interface DiffRow {
  field: string;
  before: unknown;
  after: unknown;
  changed: boolean;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Field by field when both sides are objects (or one is missing), else the two values. */
export function diffRows(before: unknown, after: unknown): DiffRow[] {
  if ((isRecord(before) || before === null) && (isRecord(after) || after === null)) {
    const b = before ?? {};
    const a = after ?? {};
    const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
    return keys.map((k) => ({ field: k, before: k in b ? b[k] : undefined, after: k in a ? a[k] : undefined, changed: JSON.stringify(b[k]) !== JSON.stringify(a[k]) }));
  }
  return [{ field: '值', before, after, changed: JSON.stringify(before) !== JSON.stringify(after) }];
}

/** A raw key (action, record id, field), small and grey under its Chinese name. */
function RawKey({ children }: { children: string }) {
  return (
    <div className="kw-mono" style={{ fontSize: 12, color: 'rgba(0,0,0,0.45)', wordBreak: 'break-all' }}>
      {children}
    </div>
  );
}

function DiffView({ entry, fieldNames, valueNames }: { entry: AuditEntry; fieldNames: ReadonlyMap<string, string>; valueNames: ReadonlyMap<string, string> }) {
  const rows = diffRows(entry.before, entry.after);
  /** The names of the keys and coded values of objects nested in the snapshots (an arrangement's options, a plan's sittings). */
  const nested: AuditNames = {
    field: (key) => auditFieldName(fieldNames, entry.entity, key),
    value: (key, value) => auditValueName(valueNames, entry.entity, key, value),
  };
  /** A value as staff read it; a coded one (a status, a role) by its Chinese name, the code small and grey under it. */
  const valueCell = (r: DiffRow, v: unknown, color: string) => {
    const name = nested.value(r.field, v);
    return (
      <span className="kw-mono" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all', color: r.changed && v !== undefined ? color : undefined }}>
        {name ?? auditValueLabel(v, nested)}
        {name !== null && <RawKey>{v as string}</RawKey>}
      </span>
    );
  };
  const fieldCell = (f: string) => {
    const name = auditFieldName(fieldNames, entry.entity, f);
    return (
      <span>
        {name}
        {name !== f && <RawKey>{f}</RawKey>}
      </span>
    );
  };
  return (
    <Table<DiffRow>
      size="small"
      rowKey="field"
      pagination={false}
      dataSource={rows}
      data-testid="audit-diff"
      rowClassName={(r) => (r.changed ? 'kw-diff-changed' : '')}
      columns={[
        { title: '字段', dataIndex: 'field', key: 'field', width: 170, render: fieldCell },
        {
          title: '修改前',
          key: 'before',
          render: (_, r) => valueCell(r, r.before, '#cf1322'),
        },
        {
          title: '修改后',
          key: 'after',
          render: (_, r) => valueCell(r, r.after, '#389e0d'),
        },
      ]}
    />
  );
}

const columns: TableColumnsType<AuditEntry> = [
  { title: '时间（北京）', dataIndex: 'at', key: 'at', width: 170, render: formatDateTime },
  {
    title: '操作人',
    key: 'actor',
    width: 190,
    render: (_, e) => (
      <span>
        {e.actor}
        {e.actingFor && (
          <div>
            <Tag color="orange" style={{ marginTop: 2 }}>
              由 {e.actingFor} 代登录
            </Tag>
          </div>
        )}
        {e.via === 'cli' && (
          <div>
            <Tag style={{ marginTop: 2 }} data-testid="audit-via-cli">
              命令行
            </Tag>
          </div>
        )}
      </span>
    ),
  },
  {
    title: '操作',
    key: 'action',
    width: 170,
    render: (_, e) => (
      <span>
        {e.actionName}
        <RawKey>{e.action}</RawKey>
      </span>
    ),
  },
  {
    title: '对象',
    key: 'entity',
    render: (_, e) => {
      const name = recordName(e);
      return (
        <span>
          {e.entityName}
          {name && <Typography.Text strong>：{name}</Typography.Text>}
          <RawKey>{e.entityId}</RawKey>
        </span>
      );
    },
  },
];

/** The changed record's own name, as its before/after snapshot holds it (e.g. 第1考场, a teacher's name), so the line reads without the id. */
function recordName(e: AuditEntry): string | null {
  for (const snapshot of [e.after, e.before]) {
    if (!snapshot || typeof snapshot !== 'object') continue;
    const fields = snapshot as Record<string, unknown>;
    for (const key of ['name', 'displayName', 'username']) {
      if (typeof fields[key] === 'string' && fields[key]) return fields[key] as string;
    }
  }
  return null;
}

export function AuditPage() {
  const [filter, setFilter] = useState<AuditFilter>({ page: 1, pageSize: 20 });
  const log = useLoader((signal) => orgApi.audit(filter, signal), [JSON.stringify(filter)]);
  const [form] = Form.useForm<FilterForm>();
  const fieldNames = useMemo(() => new Map((log.data?.fields ?? []).map((f) => [f.key, f.name])), [log.data]);
  const valueNames = useMemo(() => auditValueNames(log.data?.values ?? []), [log.data]);

  function apply(v: FilterForm) {
    const [from, to] = v.range ?? [null, null];
    setFilter({
      entity: v.entity || undefined,
      action: v.action || undefined,
      actor: v.actor?.trim() || undefined,
      from: from ? beijingDay(from, false) : undefined,
      to: to ? beijingDay(to, true) : undefined,
      page: 1,
      pageSize: filter.pageSize,
    });
  }

  return (
    <Card
      title="操作日志"
      extra={
        <Button onClick={log.reload} loading={log.refreshing && !log.loading}>
          刷新
        </Button>
      }
    >
      <Form<FilterForm> form={form} layout="inline" onFinish={apply} style={{ marginBottom: 16, rowGap: 8 }}>
        <Form.Item name="entity" label="对象">
          <Select allowClear style={{ width: 130 }} placeholder="全部" options={(log.data?.entities ?? []).map((e) => ({ value: e.key, label: e.name }))} data-testid="audit-entity" />
        </Form.Item>
        <Form.Item name="action" label="操作">
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            style={{ width: 170 }}
            placeholder="全部"
            options={(log.data?.actions ?? []).map((a) => ({ value: a.key, label: a.name }))}
            data-testid="audit-action"
          />
        </Form.Item>
        <Form.Item name="actor" label="操作人">
          <Input allowClear style={{ width: 130 }} placeholder="用户名" data-testid="audit-actor" />
        </Form.Item>
        <Form.Item name="range" label="日期">
          <DatePicker.RangePicker style={{ width: 240 }} />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" data-testid="audit-search">
            查询
          </Button>
          <Button
            onClick={() => {
              form.resetFields();
              setFilter({ page: 1, pageSize: filter.pageSize });
            }}
          >
            重置
          </Button>
        </Space>
      </Form>
      {log.error !== undefined && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={`加载操作日志失败：${errorMessage(log.error)}`} />}
      <Table<AuditEntry>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={log.data?.entries ?? []}
        loading={log.loading}
        expandable={{ expandedRowRender: (e) => <DiffView entry={e} fieldNames={fieldNames} valueNames={valueNames} />, expandRowByClick: true, columnTitle: '变更' }}
        pagination={{
          current: filter.page,
          pageSize: filter.pageSize,
          total: log.data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: [20, 50, 100],
          showTotal: (n) => `共 ${n} 条`,
          onChange: (page, pageSize) => setFilter((f) => ({ ...f, page: pageSize === f.pageSize ? page : 1, pageSize })),
        }}
        locale={{ emptyText: '没有符合条件的操作记录' }}
        data-testid="audit-table"
      />
    </Card>
  );
}
