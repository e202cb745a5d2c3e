// 签到表: each seat marked 已签到 or 缺考 as the proctors tick the paper
// sheet (an absence marks 缺考 by itself); the PDF carries the marks.

import { useEffect, useRef, useState } from 'react';
import { SIGN_IN_STATE_NAMES, type SignInState } from '@kaowu/core';
import { Alert, App, Button, Radio, Space, Table, Tag, Typography } from 'antd';
import { errorMessage } from '../../api';
import { proctorApi, type Seat, type SignInMark } from '../../proctor/api';
import { SEAT_STATE_COLORS, SEAT_STATE_LABELS, seatNoLabel } from '../../proctor/labels';

const MARKS: { value: SignInState | 'none'; label: string }[] = [
  { value: 'none', label: '未标记' },
  { value: 'signed', label: SIGN_IN_STATE_NAMES.signed },
  { value: 'absent', label: SIGN_IN_STATE_NAMES.absent },
];

export function SignInTab({ sittingId, roomId, seats, onChanged }: { sittingId: string; roomId: string; seats: Seat[]; onChanged: () => void }) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Marks just set, shown until the room is read again.
  const [pending, setPending] = useState<Record<string, SignInMark>>({});
  const inFlight = useRef<string | null>(null);
  // A new read of the room carries the marks: drop the ones shown meanwhile (except one still being sent).
  useEffect(() => {
    setPending((p) => (inFlight.current && inFlight.current in p ? { [inFlight.current]: p[inFlight.current]! } : {}));
  }, [seats]);

  const mark = async (seat: Seat, value: SignInState | 'none') => {
    const state: SignInMark = value === 'none' ? null : value;
    setBusy(seat.registrationId);
    setError(null);
    inFlight.current = seat.registrationId;
    setPending((p) => ({ ...p, [seat.registrationId]: state }));
    try {
      await proctorApi.markSignIn(sittingId, roomId, seat.registrationId, state);
      inFlight.current = null;
      onChanged();
    } catch (err) {
      inFlight.current = null;
      setError(`${seatNoLabel(seat.seatNo)} 号 ${seat.name}：${errorMessage(err)}`);
      setPending((p) => {
        const rest = { ...p };
        delete rest[seat.registrationId];
        return rest;
      });
    } finally {
      setBusy(null);
    }
  };

  const pdf = async () => {
    setBusy('pdf');
    setError(null);
    try {
      const name = await proctorApi.signInPdf(sittingId, roomId);
      void message.success(`已下载 ${name}`);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(null);
    }
  };

  const markOf = (s: Seat): SignInMark => (s.registrationId in pending ? pending[s.registrationId]! : s.signIn);
  const signed = seats.filter((s) => markOf(s) === 'signed').length;
  const absent = seats.filter((s) => markOf(s) === 'absent').length;

  return (
    <div data-testid="signin-tab">
      {error && <Alert type="error" showIcon closable onClose={() => setError(null)} style={{ marginBottom: 12 }} message={error} />}
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', marginBottom: 12, flexWrap: 'wrap', gap: 8 }}>
        <Space size={16}>
          <span data-testid="signin-summary">
            共 {seats.length} 人 · 已签到 <b>{signed}</b> · 缺考 <b>{absent}</b> · 未标记 <b>{seats.length - signed - absent}</b>
          </span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            按纸质签到表逐一标记；登记缺考的考生自动标为缺考。
          </Typography.Text>
        </Space>
        <Button onClick={() => void pdf()} loading={busy === 'pdf'} data-testid="signin-pdf">
          下载签到表 PDF
        </Button>
      </div>
      <Table<Seat>
        rowKey="registrationId"
        size="small"
        pagination={false}
        dataSource={seats}
        scroll={{ y: 520 }}
        onRow={(s) => ({ 'data-testid': 'signin-row', 'data-seat-no': s.seatNo }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: '座位号', dataIndex: 'seatNo', width: 70, render: (n: number) => seatNoLabel(n) },
          { title: '姓名', dataIndex: 'name', width: 110 },
          { title: '准考证号', dataIndex: 'ticketNo', width: 160 },
          { title: '考试状态', dataIndex: 'state', width: 100, render: (st: Seat['state']) => <Tag color={SEAT_STATE_COLORS[st]}>{SEAT_STATE_LABELS[st]}</Tag> },
          {
            title: '签到',
            key: 'mark',
            render: (_: unknown, s) => {
              const m = markOf(s);
              return (
                <Radio.Group
                  size="small"
                  optionType="button"
                  buttonStyle="solid"
                  value={m ?? 'none'}
                  disabled={busy === s.registrationId}
                  onChange={(e) => void mark(s, e.target.value as SignInState | 'none')}
                  options={MARKS.map((o) => ({ ...o, disabled: o.value !== 'absent' && s.state === 'absent' }))}
                  data-testid="signin-mark"
                />
              );
            },
          },
        ]}
      />
    </div>
  );
}
