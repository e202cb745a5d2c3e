// Pieces shared by the sites list and the site page: status tags, the
// operator's review actions (approve, reject with a reason, disable, the
// 考务协议 status) and the room form.

import { useEffect, useState } from 'react';
import { Alert, App, Button, Form, Input, InputNumber, Modal, Popconfirm, Select, Space, Switch, Tag } from 'antd';
import { DEFAULT_SEATS_PER_ROW, MAX_SEATS_PER_ROW, normalizeRoomRanges } from '@kaowu/core';
import { errorMessage } from '../../api';
import {
  AGREEMENT_COLORS, AGREEMENT_LABELS, SITE_STATUS_COLORS, sitesApi, type AgreementStatus, type Room, type RoomInput, type SiteDetail, type SiteSummary,
} from '../../admin/sites';

export function SiteStatusTag({ site }: { site: Pick<SiteSummary, 'status' | 'statusName'> }) {
  return (
    <Tag color={SITE_STATUS_COLORS[site.status]} data-testid="site-status" style={{ marginInlineEnd: 0 }}>
      {site.statusName}
    </Tag>
  );
}

export function AgreementTag({ status }: { status: AgreementStatus }) {
  return (
    <Tag color={AGREEMENT_COLORS[status]} style={{ marginInlineEnd: 0 }}>
      考务协议{AGREEMENT_LABELS[status]}
    </Tag>
  );
}

/** The operator's buttons for one site; `onChanged` gets the site as the server now has it. */
export function ReviewActions({ site, onChanged, size = 'small' }: { site: SiteSummary; onChanged: (d: SiteDetail) => void; size?: 'small' | 'middle' }) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState<string | null>(null);
  const [rejecting, setRejecting] = useState(false);
  const run = async (what: string, call: () => Promise<SiteDetail>, done: string) => {
    setBusy(what);
    try {
      onChanged(await call());
      void message.success(done);
    } catch (err) {
      void message.error(errorMessage(err));
    } finally {
      setBusy(null);
    }
  };
  return (
    <Space size={4} wrap>
      {site.status === 'pending' && (
        <>
          <Popconfirm
            title="审核通过并启用该考核站点？"
            description={`${site.institution.name} · ${site.name}`}
            okText="通过"
            cancelText="取消"
            onConfirm={() => run('approve', () => sitesApi.approve(site.id), '已审核通过并启用')}
          >
            <Button type="primary" size={size} loading={busy === 'approve'} data-testid="approve-site">
              审核通过
            </Button>
          </Popconfirm>
          <Button danger size={size} onClick={() => setRejecting(true)} data-testid="reject-site">
            驳回
          </Button>
        </>
      )}
      {site.status === 'enabled' && (
        <Popconfirm
          title="停用该考核站点？"
          description="停用后站点不能再修改考场，也不能组织考试。"
          okText="停用"
          okButtonProps={{ danger: true }}
          cancelText="取消"
          onConfirm={() => run('disable', () => sitesApi.disable(site.id), '已停用')}
        >
          <Button size={size} loading={busy === 'disable'}>
            停用
          </Button>
        </Popconfirm>
      )}
      {site.status === 'disabled' && (
        <Popconfirm title="重新启用该考核站点？" okText="启用" cancelText="取消" onConfirm={() => run('approve', () => sitesApi.approve(site.id), '已重新启用')}>
          <Button size={size} loading={busy === 'approve'}>
            重新启用
          </Button>
        </Popconfirm>
      )}
      <RejectModal
        open={rejecting}
        site={site}
        onCancel={() => setRejecting(false)}
        onRejected={(d) => {
          setRejecting(false);
          onChanged(d);
          void message.success('已驳回申请');
        }}
      />
    </Space>
  );
}

function RejectModal({ open, site, onCancel, onRejected }: { open: boolean; site: SiteSummary; onCancel: () => void; onRejected: (d: SiteDetail) => void }) {
  const [form] = Form.useForm<{ reason: string }>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (open) {
      form.resetFields();
      setError(null);
    }
  }, [open, form]);
  const submit = async () => {
    const values = await form.validateFields().catch(() => null); // the form shows what is wrong
    if (!values) return;
    const { reason } = values;
    setSaving(true);
    try {
      onRejected(await sitesApi.reject(site.id, reason.trim()));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal title={`驳回申请：${site.name}`} open={open} onCancel={onCancel} onOk={() => void submit()} okText="驳回" okButtonProps={{ danger: true, loading: saving }} cancelText="取消" destroyOnHidden>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Form form={form} name="siteReject" layout="vertical">
        <Form.Item name="reason" label="不通过的原因（申请人可见）" rules={[{ required: true, whitespace: true, message: '请填写不通过的原因' }, { max: 200, message: '不能超过 200 个字' }]}>
          <Input.TextArea rows={3} maxLength={200} showCount placeholder="例如：机房考位不足 40 个，请补充材料后重新申请" data-testid="reject-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** The 考务协议 status as a small select (operator). */
export function AgreementSelect({ site, onChanged }: { site: SiteSummary; onChanged: (d: SiteDetail) => void }) {
  const { message } = App.useApp();
  const [saving, setSaving] = useState(false);
  return (
    <Select<AgreementStatus>
      size="small"
      style={{ width: 120 }}
      value={site.agreementStatus}
      disabled={site.status === 'rejected'}
      loading={saving}
      aria-label="考务协议状态"
      data-testid="agreement-select"
      options={(['none', 'sent', 'signed'] as const).map((s) => ({ value: s, label: AGREEMENT_LABELS[s] }))}
      onChange={async (status) => {
        setSaving(true);
        try {
          onChanged(await sitesApi.setAgreement(site.id, status));
          void message.success(`考务协议：${AGREEMENT_LABELS[status]}`);
        } catch (err) {
          void message.error(errorMessage(err));
        } finally {
          setSaving(false);
        }
      }}
    />
  );
}

interface RoomFormValues {
  name: string;
  location: string;
  roomType: '机考';
  seats: number;
  seatsPerRow: number;
  spareMachines: number;
  ipRanges?: string;
  restrictSignIn: boolean;
}

/** IP ranges as typed: one per line (commas, semicolons and spaces also separate). */
function splitRanges(text: string | undefined): string[] {
  return (text ?? '').split(/[\s,;，；、]+/).filter(Boolean);
}

/** Adds a room, or edits `room`; `onSaved` gets the site as the server now has it. */
export function RoomFormModal({
  siteId, room, open, onClose, onSaved,
}: { siteId: string; room: Room | null; open: boolean; onClose: () => void; onSaved: (d: SiteDetail) => void }) {
  const [form] = Form.useForm<RoomFormValues>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!open) return;
    setError(null);
    form.setFieldsValue(
      room
        ? { name: room.name, location: room.location, roomType: '机考', seats: room.seats, seatsPerRow: room.seatsPerRow, spareMachines: room.spareMachines, ipRanges: room.ipRanges.join('\n'), restrictSignIn: room.restrictSignIn }
        : { name: '', location: '', roomType: '机考', seats: 40, seatsPerRow: DEFAULT_SEATS_PER_ROW, spareMachines: 3, ipRanges: '', restrictSignIn: false },
    );
  }, [open, room, form]);

  const submit = async () => {
    const v = await form.validateFields().catch(() => null); // the form shows what is wrong
    if (!v) return;
    const input: RoomInput = {
      name: v.name.trim(), location: v.location.trim(), roomType: '机考', seats: v.seats, seatsPerRow: v.seatsPerRow, spareMachines: v.spareMachines, ipRanges: splitRanges(v.ipRanges),
      restrictSignIn: Boolean(v.restrictSignIn),
    };
    setSaving(true);
    setError(null);
    try {
      onSaved(room ? await sitesApi.updateRoom(siteId, room.id, input) : await sitesApi.addRoom(siteId, input));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      title={room ? `修改考场：${room.name}` : '新增考场'}
      open={open}
      onCancel={onClose}
      onOk={() => void submit()}
      okText="保存"
      cancelText="取消"
      okButtonProps={{ loading: saving, 'data-testid': 'room-save' }}
      destroyOnHidden
      width={560}
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid="room-error" />}
      <Form form={form} name="room" layout="vertical" requiredMark>
        <div style={{ display: 'flex', gap: 12 }}>
          <Form.Item name="name" label="考场名称" style={{ flex: 1 }} rules={[{ required: true, whitespace: true, message: '请填写考场名称' }, { max: 40, message: '不能超过 40 个字' }]}>
            <Input placeholder="例如：第一考场" data-testid="room-name" />
          </Form.Item>
          <Form.Item name="roomType" label="考场类型" style={{ width: 120 }}>
            <Select options={[{ value: '机考', label: '机考' }]} />
          </Form.Item>
        </div>
        <Form.Item name="location" label="考场位置" rules={[{ required: true, whitespace: true, message: '请填写考场位置' }, { max: 100, message: '不能超过 100 个字' }]}>
          <Input placeholder="例如：实训楼 3 楼 301 机房" data-testid="room-location" />
        </Form.Item>
        <Space size={24} align="start">
          <Form.Item name="seats" label="考位数" extra="标准考场不少于 40 个考位" rules={[{ required: true, message: '请填写考位数' }]}>
            <InputNumber min={1} max={300} precision={0} style={{ width: 140 }} data-testid="room-seats" />
          </Form.Item>
          <Form.Item
            name="seatsPerRow"
            label="每排座位数"
            extra="座位从讲台起逐排编号"
            rules={[
              { required: true, message: '请填写每排座位数' },
              { type: 'integer', min: 1, max: MAX_SEATS_PER_ROW, message: `每排座位数应为 1–${MAX_SEATS_PER_ROW} 的整数` },
            ]}
          >
            <InputNumber min={1} max={MAX_SEATS_PER_ROW} precision={0} style={{ width: 140 }} data-testid="room-seats-per-row" />
          </Form.Item>
          <Form.Item name="spareMachines" label="备用机" extra="每个考场 3 台，或按 10:1 配备" rules={[{ required: true, message: '请填写备用机数' }]}>
            <InputNumber min={0} max={100} precision={0} style={{ width: 140 }} data-testid="room-spares" />
          </Form.Item>
        </Space>
        <Form.Item
          name="ipRanges"
          label="考生机 IP 范围（可选）"
          extra="每行一个网段或地址，如 192.168.10.0/24、192.168.10.7 或 2001:db8::/64；考试当天用于核对考生所在考场。"
          rules={[
            {
              validator: async (_, value: string | undefined) => {
                const { problems } = normalizeRoomRanges(splitRanges(value));
                if (problems.length) throw new Error(problems.map((p) => p.message).join('；'));
              },
            },
          ]}
        >
          <Input.TextArea rows={3} placeholder={'192.168.10.0/24\n192.168.11.0/24'} data-testid="room-ips" />
        </Form.Item>
        <Form.Item
          name="restrictSignIn"
          label="仅允许本考场 IP 登录"
          valuePropName="checked"
          extra="开启后，编排在本考场的考生只能从上面的 IP 范围内的计算机登录和进入考试；未填写 IP 范围时不限制。被拒绝的登录会被记录。"
        >
          <Switch data-testid="room-restrict-sign-in" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
