// 监考安排: automatic assignment (2 per 40 candidates, 回避), the rooms with
// their proctors and who must avoid them, a room's proctors changed by hand,
// and the site's 主考.

import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Empty, Modal, Popover, Select, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { errorMessage } from '../../../api';
import { useLoader } from '../../../hooks';
import { arrangementApi, type PoolMember, type ProctorRoom, type Proctors } from '../../../admin/arrangement';

export function ProctorTab({ planId, siteId }: { planId: string; siteId: string }) {
  const { message } = App.useApp();
  const loaded = useLoader((signal) => arrangementApi.proctors(planId, siteId, signal), [planId, siteId]);
  const [fresh, setFresh] = useState<Proctors | null>(null);
  useEffect(() => setFresh(null), [loaded.data]);
  const data = fresh ?? loaded.data;
  const [busy, setBusy] = useState<'run' | 'chief' | null>(null);
  const [editing, setEditing] = useState<ProctorRoom | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);

  if (!data) {
    return loaded.error !== undefined ? (
      <Alert type="error" showIcon message={`加载监考安排失败：${errorMessage(loaded.error)}`} action={<Button onClick={loaded.reload}>重试</Button>} />
    ) : (
      <Card loading bordered={false} />
    );
  }
  const used = data.rooms.filter((r) => r.candidates > 0 || r.proctors.length > 0);
  const nameOf = new Map(data.pool.map((p) => [p.userId, p.name]));
  const roomName = new Map(data.rooms.map((r) => [r.id, r.name]));

  const run = async () => {
    setBusy('run');
    setActionError(null);
    try {
      const r = await arrangementApi.runProctors(planId, siteId);
      setFresh(r);
      if (r.totals.assigned >= r.totals.needed) void message.success(`已安排 ${r.totals.assigned} 名监考员（共需 ${r.totals.needed} 名）`);
      else void message.warning(`只安排了 ${r.totals.assigned} 名监考员（共需 ${r.totals.needed} 名），原因见上方提示`);
    } catch (err) {
      setActionError(errorMessage(err));
    } finally {
      setBusy(null);
    }
  };
  const setChief = async (userId: string | null) => {
    setBusy('chief');
    setActionError(null);
    try {
      setFresh(await arrangementApi.setChief(planId, siteId, userId));
      void message.success(userId ? `主考：${data.chiefOptions.find((o) => o.userId === userId)?.name ?? ''}` : '已取消主考');
    } catch (err) {
      setActionError(errorMessage(err));
    } finally {
      setBusy(null);
    }
  };

  const columns: TableColumnsType<ProctorRoom> = [
    {
      title: '考场',
      dataIndex: 'name',
      width: 200,
      render: (_: string, r) => (
        <div>
          <div style={{ fontWeight: 500 }}>{r.name}</div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {r.location}
          </Typography.Text>
        </div>
      ),
    },
    { title: '等级', dataIndex: 'levelName', width: 70, render: (v: string | null) => v ?? '—' },
    { title: '考生', dataIndex: 'candidates', width: 70, render: (v: number) => `${v} 人` },
    {
      title: '监考员（已安排/需）',
      key: 'count',
      width: 150,
      render: (_: unknown, r) => {
        const ok = r.proctors.filter((p) => p.avoid.length === 0).length >= r.needed;
        return (
          <Tag color={ok ? 'success' : 'error'} data-testid="proctor-count">
            {r.proctors.length} / {r.needed}
          </Tag>
        );
      },
    },
    {
      title: '监考员',
      key: 'proctors',
      render: (_: unknown, r) =>
        r.proctors.length === 0 ? (
          <Typography.Text type="secondary">未安排</Typography.Text>
        ) : (
          <Space size={[4, 4]} wrap data-testid="room-proctors">
            {r.proctors.map((p) =>
              p.avoid.length ? (
                <Popover key={p.userId} title="须回避" content={<div style={{ maxWidth: 360 }}>{p.avoid.join('；')}</div>}>
                  <Tag color="error">{p.name}（须回避）</Tag>
                </Popover>
              ) : (
                <Tag key={p.userId} color="blue">
                  {p.name}
                  {p.roleName ? <span style={{ color: '#8c8c8c' }}>·{p.roleName}</span> : null}
                </Tag>
              ),
            )}
          </Space>
        ),
    },
    {
      title: '须回避',
      key: 'avoiders',
      width: 110,
      render: (_: unknown, r) =>
        r.avoiders.length === 0 ? (
          <Typography.Text type="secondary">无</Typography.Text>
        ) : (
          <Popover
            title={`须回避本考场的人员（${r.avoiders.length}）`}
            content={
              <div style={{ maxWidth: 460, maxHeight: 320, overflow: 'auto' }}>
                {r.avoiders.map((a) => (
                  <div key={a.userId} style={{ marginBottom: 6 }}>
                    <b>{nameOf.get(a.userId) ?? a.userId}</b>：{a.reasons.join('；')}
                  </div>
                ))}
              </div>
            }
          >
            <a>{r.avoiders.length} 人</a>
          </Popover>
        ),
    },
    {
      title: '',
      key: 'edit',
      width: 80,
      render: (_: unknown, r) => (
        <Button size="small" onClick={() => setEditing(r)} data-testid="edit-proctors">
          调整
        </Button>
      ),
    },
  ];

  return (
    <div data-testid="proctor-tab">
      {data.arrangementState === 'none' ? (
        <Empty description="尚未编排考场：请先在“考场编排”中编排，再安排监考员" />
      ) : (
        <>
          <Space wrap size={12} style={{ marginBottom: 16 }}>
            <Button type="primary" onClick={run} loading={busy === 'run'} data-testid="run-proctors">
              自动安排
            </Button>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              每 40 名考生 2 名监考员；本专业教师及班主任、辅导员回避。可用 {data.totals.pool} 人，已安排 {data.totals.assigned}/{data.totals.needed}。
            </Typography.Text>
            <span style={{ marginInlineStart: 12 }}>主考：</span>
            <Select<string>
              style={{ width: 220 }}
              aria-label="主考"
              data-testid="chief-select"
              placeholder="请选择本考点主考"
              allowClear
              showSearch
              optionFilterProp="label"
              loading={busy === 'chief'}
              value={data.chief?.userId}
              onChange={(v) => void setChief(v ?? null)}
              options={data.chiefOptions.map((o) => {
                const room = data.pool.find((p) => p.userId === o.userId)?.roomId;
                return { value: o.userId, label: `${o.name}（${o.roleName}）${room ? ` · 已在${roomName.get(room) ?? ''}监考` : ''}`, disabled: Boolean(room) };
              })}
            />
          </Space>
          {actionError && <Alert type="error" showIcon closable onClose={() => setActionError(null)} style={{ marginBottom: 12 }} message={actionError} data-testid="proctor-error" />}
          {data.problems.map((p) => (
            <Alert key={p.message} type={/须回避|缺/.test(p.message) ? 'error' : 'warning'} showIcon style={{ marginBottom: 8 }} message={p.message} data-testid="proctor-problem" />
          ))}
          <Table<ProctorRoom> rowKey="id" size="middle" columns={columns} dataSource={used} pagination={false} data-testid="proctor-table" />
        </>
      )}
      {editing && (
        <EditModal
          room={editing}
          data={data}
          roomName={roomName}
          onClose={() => setEditing(null)}
          onSaved={(r) => {
            setFresh(r);
            setEditing(null);
            void message.success(`已更新${editing.name}的监考员`);
          }}
          planId={planId}
        />
      )}
    </div>
  );
}

function optionNote(p: PoolMember, room: ProctorRoom, roomName: Map<string, string>): { note: string | null; disabled: boolean } {
  const avoid = room.avoiders.find((a) => a.userId === p.userId);
  if (avoid) return { note: `须回避：${avoid.reasons.join('；')}`, disabled: true };
  if (p.chief) return { note: '本考点主考', disabled: true };
  if (p.roomId && p.roomId !== room.id) return { note: `已在${roomName.get(p.roomId) ?? '其他考场'}监考`, disabled: true };
  const teaches = [p.majors.length ? `任教：${p.majors.join('、')}` : null, p.headTeacherOf.length ? `班主任：${p.headTeacherOf.join('、')}` : null, p.counsellorOf.length ? `辅导员：${p.counsellorOf.join('、')}` : null]
    .filter(Boolean)
    .join('；');
  return { note: teaches || null, disabled: false };
}

function EditModal({
  room, data, roomName, planId, onClose, onSaved,
}: { room: ProctorRoom; data: Proctors; roomName: Map<string, string>; planId: string; onClose: () => void; onSaved: (r: Proctors) => void }) {
  const [selected, setSelected] = useState<string[]>(room.proctors.map((p) => p.userId));
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const save = async () => {
    setSaving(true);
    setError(null);
    try {
      onSaved(await arrangementApi.setRoomProctors(planId, room.id, selected));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setSaving(false);
    }
  };
  // Who can be picked first; then those on duty elsewhere; those who must avoid the room last.
  const options = data.pool
    .map((p) => {
      const { note, disabled } = optionNote(p, room, roomName);
      const current = room.proctors.some((x) => x.userId === p.userId);
      const avoid = room.avoiders.some((a) => a.userId === p.userId);
      return { value: p.userId, label: `${p.name}（${p.roleName}）`, note, disabled: disabled && !current, rank: current ? 0 : !disabled ? 1 : avoid ? 3 : 2 };
    })
    .sort((a, b) => a.rank - b.rank);
  return (
    <Modal open title={`调整监考员：${room.name}`} okText="保存" cancelText="取消" onOk={save} confirmLoading={saving} onCancel={onClose} width={640} data-testid="proctor-modal">
      <Typography.Paragraph type="secondary">
        本考场 {room.candidates} 名考生{room.levelName ? `（${room.levelName}）` : ''}，需 {room.needed} 名监考员。本专业教师及班主任、辅导员须回避，不可选择；每人在同一考试计划中只能监考一个考场。
      </Typography.Paragraph>
      <Select
        mode="multiple"
        style={{ width: '100%' }}
        aria-label="监考员"
        data-testid="proctor-select"
        value={selected}
        onChange={setSelected}
        optionFilterProp="label"
        options={options}
        optionRender={(o) => (
          <div>
            <div>{o.data.label}</div>
            {o.data.note && (
              <div style={{ fontSize: 12, color: o.data.disabled ? '#cf1322' : '#8c8c8c', whiteSpace: 'normal' }}>{o.data.note}</div>
            )}
          </div>
        )}
      />
      {error && <Alert type="error" showIcon style={{ marginTop: 12 }} message={error} data-testid="proctor-modal-error" />}
    </Modal>
  );
}
