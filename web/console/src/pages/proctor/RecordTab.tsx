// 考场情况记录表: the counts and lists filled from the data, the incidents
// and remarks in the proctors' words, and their signatures. Editable until
// everyone has signed; a change after a signature clears the signatures.

import { useEffect, useRef, useState } from 'react';
import { Alert, App, Button, Card, Col, Descriptions, Empty, Form, Input, Row, Space, Tag, Typography } from 'antd';
import { errorMessage } from '../../api';
import { formatDateTime, formatTimeNear } from '../../format';
import { useLoader } from '../../hooks';
import { getUser } from '../../session';
import { proctorApi, type RecordFactLine, type RoomRecord } from '../../proctor/api';
import { actionLabel, DUTY_LABELS, seatNoLabel } from '../../proctor/labels';

const LISTS: { key: 'absences' | 'violations' | 'switches' | 'compensations'; label: string }[] = [
  { key: 'absences', label: '缺考' },
  { key: 'violations', label: '违纪' },
  { key: 'switches', label: '换机' },
  { key: 'compensations', label: '补时' },
];

function factLine(l: RecordFactLine, startsAt: string): string {
  const who = l.seatNo != null || l.name ? `${l.seatNo != null ? `${seatNoLabel(l.seatNo)} 号 ` : ''}${l.name ?? ''}`.trim() : '';
  return [
    who,
    l.kind ? actionLabel(l.kind) : '',
    l.minutes ? `${l.minutes} 分钟` : '',
    l.reason,
    `${formatTimeNear(l.at, startsAt)} ${l.by}`,
  ]
    .filter(Boolean)
    .join(' · ');
}

function FactList({ value, startsAt }: { value: RecordFactLine[] | undefined; startsAt: string }) {
  if (!value || value.length === 0) return <Typography.Text type="secondary">无</Typography.Text>;
  return (
    <ol style={{ margin: 0, paddingLeft: 18 }}>
      {value.map((l, i) => (
        <li key={i}>{factLine(l, startsAt)}</li>
      ))}
    </ol>
  );
}

/** 缺考: the names, grouped by reason (one click registers many with one reason). */
function AbsenceList({ value, startsAt }: { value: RecordFactLine[] | undefined; startsAt: string }) {
  if (!value || value.length === 0) return <Typography.Text type="secondary">无</Typography.Text>;
  const groups = new Map<string, RecordFactLine[]>();
  for (const l of [...value].sort((a, b) => (a.seatNo ?? 0) - (b.seatNo ?? 0))) {
    const k = `${l.reason}\u0000${l.by}`;
    groups.set(k, [...(groups.get(k) ?? []), l]);
  }
  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 6 }} data-testid="record-absences">
      {[...groups.values()].map((ls) => (
        <div key={`${ls[0]!.reason}/${ls[0]!.by}`}>
          <div>
            <b>{ls.length} 人</b> · {ls[0]!.reason}
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {' '}
              （{ls[0]!.by}，{formatTimeNear(ls[0]!.at, startsAt)}）
            </Typography.Text>
          </div>
          <div style={{ color: '#595959' }}>{ls.map((l) => `${seatNoLabel(l.seatNo)} ${l.name ?? ''}`.trim()).join('、')}</div>
        </div>
      ))}
    </div>
  );
}

export function RecordTab({ sittingId, roomId, startsAt, refreshKey }: {
  sittingId: string;
  roomId: string;
  startsAt: string;
  /** Changes when the room changed: re-read the facts. */
  refreshKey: number;
}) {
  const { message } = App.useApp();
  const loaded = useLoader((signal) => proctorApi.record(sittingId, roomId, signal), [sittingId, roomId, refreshKey]);
  const [form] = Form.useForm<RoomRecord['record']>();
  const [saved, setSaved] = useState<RoomRecord | null>(null);
  const [dirty, setDirty] = useState(false);
  const applied = useRef<string | null | undefined>(undefined);
  const [busy, setBusy] = useState<'save' | 'sign' | 'pdf' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const data = saved && loaded.data && saved.updatedAt && loaded.data.updatedAt && saved.updatedAt > loaded.data.updatedAt ? saved : loaded.data;
  const me = getUser();

  // Fill the form from the server when the record changed there, unless the proctor is typing.
  useEffect(() => {
    if (!data || dirty || applied.current === data.updatedAt) return;
    applied.current = data.updatedAt;
    form.setFieldsValue({ incidents: data.record.incidents ?? '', remarks: data.record.remarks ?? '' });
  }, [data, dirty, form]);

  if (!data) {
    return loaded.error !== undefined ? (
      <Alert type="error" showIcon message={`加载失败：${errorMessage(loaded.error)}`} action={<Button onClick={loaded.reload}>重试</Button>} />
    ) : (
      <Card loading bordered={false} />
    );
  }

  const run = async (what: 'save' | 'sign' | 'pdf') => {
    setBusy(what);
    setError(null);
    try {
      if (what === 'save') {
        const values = await form.validateFields();
        const r = await proctorApi.saveRecord(sittingId, roomId, { incidents: values.incidents ?? '', remarks: values.remarks ?? '' });
        if (r && typeof r === 'object' && 'record' in r) setSaved(r);
        setDirty(false);
        loaded.reload();
        void message.success(data.signatures.length ? '已保存，原有签名已清除，请重新签名' : '已保存');
      } else if (what === 'sign') {
        const r = await proctorApi.signRecord(sittingId, roomId);
        if (r && typeof r === 'object' && 'record' in r) setSaved(r);
        loaded.reload();
        void message.success('已签名');
      } else {
        const name = await proctorApi.recordPdf(sittingId, roomId);
        void message.success(`已下载 ${name}`);
      }
    } catch (err) {
      if (err && typeof err === 'object' && 'errorFields' in err) return; // the form says what is missing
      setError(errorMessage(err));
    } finally {
      setBusy(null);
    }
  };

  const f = data.facts;
  const at = new Map(data.signatures.map((s) => [s.userId, s.at]));
  const iSigned = me ? at.has(me.id) : false;
  const maySign = me ? data.signers.some((s) => s.userId === me.id) : false;
  const allSigned = data.complete;
  // The signers in order (proctors, then the chief), and anyone else who signed.
  const lines = [
    ...data.signers.map((s) => ({ userId: s.userId, name: s.name, duty: s.duty, at: at.get(s.userId) ?? null })),
    ...data.signatures.filter((s) => !data.signers.some((x) => x.userId === s.userId)),
  ].sort((a, b) => (a.duty === b.duty ? 0 : a.duty === 'proctor' ? -1 : 1));

  return (
    <div data-testid="record-tab">
      {error && <Alert type="error" showIcon closable onClose={() => setError(null)} style={{ marginBottom: 16 }} message={error} data-testid="record-error" />}
      <Row gutter={16}>
        <Col xs={24} xl={12}>
          <Card size="small" title="考场情况（由系统根据考试数据填写）" style={{ marginBottom: 16 }}>
            <Descriptions column={5} size="small" layout="vertical" bordered data-testid="record-facts">
              <Descriptions.Item label="应到">{f.seats}</Descriptions.Item>
              <Descriptions.Item label="实到">{f.present}</Descriptions.Item>
              <Descriptions.Item label="缺考">{f.absent}</Descriptions.Item>
              <Descriptions.Item label="交卷">{f.submitted}</Descriptions.Item>
              <Descriptions.Item label="取消资格">{f.disqualified}</Descriptions.Item>
            </Descriptions>
            <Descriptions column={1} size="small" bordered style={{ marginTop: 12 }} styles={{ label: { width: 80 } }}>
              {LISTS.map((l) => (
                <Descriptions.Item key={l.key} label={l.label}>
                  {l.key === 'absences' ? <AbsenceList value={f.absences} startsAt={startsAt} /> : <FactList value={f[l.key]} startsAt={startsAt} />}
                </Descriptions.Item>
              ))}
            </Descriptions>
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card size="small" title="监考员填写" style={{ marginBottom: 16 }}>
            {data.signatures.length > 0 && !allSigned && (
              <Alert type="info" showIcon style={{ marginBottom: 12 }} message="已有监考员签名；修改并保存后，已有的签名将被清除，需要重新签名。" />
            )}
            {allSigned && <Alert type="success" showIcon style={{ marginBottom: 12 }} message="本考场的监考员均已签名，记录表已确认。" data-testid="record-all-signed" />}
            <Form form={form} layout="vertical" onValuesChange={() => setDirty(true)} disabled={allSigned}>
              <Form.Item label="其他情况（突发事件、设备故障及处理经过等）" name="incidents" rules={[{ max: 2000, message: '最多 2000 个字' }]}>
                <Input.TextArea rows={4} maxLength={2000} showCount placeholder="如：09:40 第 12 号机死机，更换备用机，补时 6 分钟" data-testid="record-incidents" />
              </Form.Item>
              <Form.Item label="备注" name="remarks" rules={[{ max: 2000, message: '最多 2000 个字' }]} style={{ marginBottom: 8 }}>
                <Input.TextArea rows={2} maxLength={2000} showCount data-testid="record-remarks" />
              </Form.Item>
            </Form>
            <Space wrap style={{ marginTop: 8 }}>
              <Button onClick={() => void run('save')} loading={busy === 'save'} disabled={!dirty || allSigned} data-testid="record-save">
                保存
              </Button>
              <Button
                type="primary"
                onClick={() => void run('sign')}
                loading={busy === 'sign'}
                disabled={dirty || iSigned || !maySign}
                title={dirty ? '请先保存修改' : !maySign ? '只有本考场的监考员和主考签名' : undefined}
                data-testid="record-sign"
              >
                {iSigned ? '我已签名' : '确认无误，签名'}
              </Button>
              <Button onClick={() => void run('pdf')} loading={busy === 'pdf'} data-testid="record-pdf">
                下载 PDF
              </Button>
            </Space>
            <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '8px 0 0' }}>
              {data.updatedAt ? `最后保存于 ${formatDateTime(data.updatedAt)}` : '尚未保存'}
            </Typography.Paragraph>
          </Card>
          <Card size="small" title="签名" data-testid="record-signatures">
            {lines.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无签名" />
            ) : (
              <Space direction="vertical" style={{ width: '100%' }}>
                {lines.map((s) => (
                    <div key={s.userId} style={{ display: 'flex', justifyContent: 'space-between' }} data-testid="signature">
                      <span>
                        <Tag color={s.duty === 'chief' ? 'gold' : 'green'}>{DUTY_LABELS[s.duty]}</Tag>
                        {s.name}
                      </span>
                      {s.at ? <Typography.Text type="success">已签名 · {formatDateTime(s.at)}</Typography.Text> : <Typography.Text type="secondary">未签名</Typography.Text>}
                    </div>
                ))}
              </Space>
            )}
          </Card>
        </Col>
      </Row>
    </div>
  );
}
