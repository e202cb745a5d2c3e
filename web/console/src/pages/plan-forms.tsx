// The operator's plan forms: a new plan by hand, a copy of one of the
// manual's 2024 plans (on a new date), and the name / registration deadline
// of an existing plan. Dates and times are entered and shown as Beijing time
// and sent as "YYYY-MM-DD HH:mm" strings, which the server reads as such.

import { useEffect, useMemo, useState } from 'react';
import { Alert, Checkbox, DatePicker, Form, Input, InputNumber, Modal, Radio, Space, Spin, TimePicker, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import customParseFormat from 'dayjs/plugin/customParseFormat';
import { errorMessage } from '../api';
import { useLoader } from '../hooks';
import { formatDateTime, LEVEL_LABELS, LEVEL_ORDER } from '../format';
import type { Level, Paper } from '../types';
import { sitesApi, type PlanDetail, type PlanPreset } from '../admin/sites';

dayjs.extend(customParseFormat);

/** "2026-12-12 17:00" in Beijing time. */
const beijing = (iso: string) => formatDateTime(iso).slice(0, 16);
/** A Beijing wall-clock string as a dayjs whose local fields show it (for the pickers). */
const pickerValue = (iso: string) => dayjs(beijing(iso), 'YYYY-MM-DD HH:mm');

interface NewPlanValues {
  name: string;
  examDate: Dayjs;
  deadline: Dayjs;
  levels: Level[];
  theory: boolean;
  theoryAt: Dayjs;
  theoryMin: number;
  practical: boolean;
  practicalAt: Dayjs;
  practicalMin: number;
}

export function NewPlanModal({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (p: PlanDetail) => void }) {
  const [form] = Form.useForm<NewPlanValues>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!open) return;
    setError(null);
    form.setFieldsValue({
      levels: [...LEVEL_ORDER], theory: true, theoryAt: dayjs('08:30', 'HH:mm'), theoryMin: 90, practical: true, practicalAt: dayjs('10:10', 'HH:mm'), practicalMin: 120,
    });
  }, [open, form]);

  const submit = async () => {
    const v = await form.validateFields().catch(() => null); // the form shows what is wrong
    if (!v) return;
    const date = v.examDate.format('YYYY-MM-DD');
    const papers: { paper: Paper; at: Dayjs; min: number }[] = [];
    if (v.theory) papers.push({ paper: 'theory', at: v.theoryAt, min: v.theoryMin });
    if (v.practical) papers.push({ paper: 'practical', at: v.practicalAt, min: v.practicalMin });
    if (papers.length === 0) {
      setError('请至少选择一个科目');
      return;
    }
    setSaving(true);
    setError(null);
    try {
      const plan = await sitesApi.createPlan({
        name: v.name.trim(),
        examDate: date,
        registrationDeadline: v.deadline.format('YYYY-MM-DD HH:mm'),
        sittings: v.levels.flatMap((level) => papers.map((p) => ({ level, paper: p.paper, startsAt: p.at.format('HH:mm'), durationMin: p.min }))),
      });
      onCreated(plan);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal title="新建考试计划" open={open} onCancel={onClose} onOk={() => void submit()} okText="创建" cancelText="取消" okButtonProps={{ loading: saving, 'data-testid': 'new-plan-submit' }} width={620} destroyOnHidden>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid="new-plan-error" />}
      <Form form={form} name="newPlan" layout="vertical">
        <Form.Item name="name" label="计划名称" rules={[{ required: true, whitespace: true, message: '请填写计划名称' }, { max: 80, message: '不能超过 80 个字' }]}>
          <Input placeholder="例如：2027 年 5 月 Python 程序开发职业技能等级证书全国统考" data-testid="plan-name" />
        </Form.Item>
        <Space size={16} align="start">
          <Form.Item name="examDate" label="考试日期（北京时间）" rules={[{ required: true, message: '请选择考试日期' }]}>
            <DatePicker style={{ width: 180 }} data-testid="plan-date" />
          </Form.Item>
          <Form.Item name="deadline" label="报名截止时间（北京时间）" rules={[{ required: true, message: '请选择报名截止时间' }]}>
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: 200 }} data-testid="plan-deadline" />
          </Form.Item>
        </Space>
        <Form.Item name="levels" label="等级" rules={[{ required: true, type: 'array', min: 1, message: '请至少选择一个等级' }]}>
          <Checkbox.Group options={LEVEL_ORDER.map((l) => ({ value: l, label: LEVEL_LABELS[l] }))} />
        </Form.Item>
        {(
          [
            ['theory', 'theoryAt', 'theoryMin', '理论'],
            ['practical', 'practicalAt', 'practicalMin', '实操'],
          ] as const
        ).map(([on, at, min, label]) => (
          <Space key={on} size={16} align="baseline">
            <Form.Item name={on} valuePropName="checked" label="科目" style={{ width: 90 }}>
              <Checkbox>{label}</Checkbox>
            </Form.Item>
            <Form.Item name={at} label="开考时间" rules={[{ required: true, message: '请选择开考时间' }]}>
              <TimePicker format="HH:mm" minuteStep={5} style={{ width: 120 }} />
            </Form.Item>
            <Form.Item name={min} label="时长（分钟）" rules={[{ required: true, message: '请填写时长' }]}>
              <InputNumber min={10} max={600} precision={0} style={{ width: 120 }} />
            </Form.Item>
          </Space>
        ))}
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 0 }}>
          每个选中的等级各建理论、实操场次；手册 2024 年安排：理论 08:30–10:00，实操 10:10–12:10。
        </Typography.Paragraph>
      </Form>
    </Modal>
  );
}

/** "2024 年 5 月 …" → the same name for `date`'s year and month. */
function renamed(name: string, date: string): string {
  const [y, m] = date.split('-');
  return name.replace(/^\d{4} 年 \d{1,2} 月/, `${y} 年 ${Number(m)} 月`);
}

/** The preset's deadline moved with the date (same days and time before the exam). */
function movedDeadline(preset: PlanPreset, date: string): string {
  const offset = Date.parse(preset.registrationDeadline) - Date.parse(`${preset.examDate}T00:00:00+08:00`);
  return new Date(Date.parse(`${date}T00:00:00+08:00`) + offset).toISOString();
}

function sittingsText(preset: PlanPreset): string {
  const levels = LEVEL_ORDER.filter((l) => preset.sittings.some((s) => s.level === l)).map((l) => LEVEL_LABELS[l]).join('、');
  const span = (paper: Paper) => {
    const s = preset.sittings.find((x) => x.paper === paper);
    return s ? `${beijing(s.startsAt).slice(11)}–${beijing(s.endsAt).slice(11)}` : null;
  };
  return `${levels}：理论 ${span('theory') ?? '—'}，实操 ${span('practical') ?? '—'}`;
}

interface CopyValues {
  preset: string;
  examDate: Dayjs;
  name: string;
  deadline: Dayjs;
}

export function PresetCopyModal({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (p: PlanDetail) => void }) {
  const presets = useLoader((signal) => (open ? sitesApi.presets(signal) : Promise.resolve(null)), [open]);
  const [form] = Form.useForm<CopyValues>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const list = useMemo(() => presets.data?.presets ?? [], [presets.data]);
  const key = Form.useWatch('preset', form);
  const chosen = list.find((p) => p.key === key);

  const choose = (p: PlanPreset) =>
    form.setFieldsValue({ preset: p.key, examDate: dayjs(p.suggestedDate), name: p.suggestedName, deadline: pickerValue(movedDeadline(p, p.suggestedDate)) });

  useEffect(() => {
    if (open && list.length && !form.getFieldValue('preset')) choose(list[0]!);
    if (open) setError(null);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open, list]);

  const submit = async () => {
    const v = await form.validateFields().catch(() => null); // the form shows what is wrong
    if (!v) return;
    setSaving(true);
    setError(null);
    try {
      onCreated(
        await sitesApi.copyPreset({ preset: v.preset, examDate: v.examDate.format('YYYY-MM-DD'), name: v.name.trim(), registrationDeadline: v.deadline.format('YYYY-MM-DD HH:mm') }),
      );
      form.resetFields();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal title="从 2024 年计划复制" open={open} onCancel={onClose} onOk={() => void submit()} okText="创建计划" cancelText="取消" okButtonProps={{ loading: saving, disabled: !chosen, 'data-testid': 'copy-submit' }} width={680}>
      {presets.error !== undefined && <Alert type="error" showIcon message={`加载失败：${errorMessage(presets.error)}`} style={{ marginBottom: 12 }} />}
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid="copy-error" />}
      {presets.loading ? (
        <Spin />
      ) : (
        <Form form={form} name="copyPreset" layout="vertical">
          <Form.Item name="preset" label="手册中的 2024 年考试计划" rules={[{ required: true, message: '请选择要复制的计划' }]}>
            <Radio.Group style={{ width: '100%' }}>
              <Space direction="vertical" style={{ width: '100%' }}>
                {list.map((p) => (
                  <Radio key={p.key} value={p.key} onChange={() => choose(p)} data-testid={`preset-${p.key}`}>
                    <span>{p.name}</span>
                    <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                      {p.examDate} · {sittingsText(p)}
                    </Typography.Text>
                  </Radio>
                ))}
              </Space>
            </Radio.Group>
          </Form.Item>
          <Space size={16} align="start">
            <Form.Item name="examDate" label="新计划的考试日期" rules={[{ required: true, message: '请选择考试日期' }]} extra="默认为之后同月的同一个星期六">
              <DatePicker
                style={{ width: 180 }}
                data-testid="copy-date"
                onChange={(d) => {
                  if (!d || !chosen) return;
                  const date = d.format('YYYY-MM-DD');
                  form.setFieldsValue({ name: renamed(form.getFieldValue('name') ?? chosen.name, date), deadline: pickerValue(movedDeadline(chosen, date)) });
                }}
              />
            </Form.Item>
            <Form.Item name="deadline" label="报名截止时间（北京时间）" rules={[{ required: true, message: '请选择报名截止时间' }]}>
              <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: 200 }} />
            </Form.Item>
          </Space>
          <Form.Item name="name" label="计划名称" rules={[{ required: true, whitespace: true, message: '请填写计划名称' }, { max: 80, message: '不能超过 80 个字' }]}>
            <Input data-testid="copy-name" />
          </Form.Item>
          {presets.data && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {presets.data.deadlineRule}
            </Typography.Text>
          )}
        </Form>
      )}
    </Modal>
  );
}

export function EditPlanModal({ planId, onClose, onSaved }: { planId: string | null; onClose: () => void; onSaved: (p: PlanDetail) => void }) {
  const plan = useLoader((signal) => (planId ? sitesApi.plan(planId, signal) : Promise.resolve(null)), [planId]);
  const [form] = Form.useForm<{ name: string; deadline: Dayjs | null }>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setError(null);
    if (plan.data) form.setFieldsValue({ name: plan.data.name, deadline: plan.data.registrationDeadline ? pickerValue(plan.data.registrationDeadline) : null });
  }, [plan.data, form]);
  const started = plan.data?.started ?? false;
  const submit = async () => {
    if (!planId) return;
    const v = await form.validateFields().catch(() => null); // the form shows what is wrong
    if (!v) return;
    setSaving(true);
    setError(null);
    try {
      onSaved(await sitesApi.updatePlan(planId, { name: v.name.trim(), ...(v.deadline ? { registrationDeadline: v.deadline.format('YYYY-MM-DD HH:mm') } : {}) }));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal title="修改考试计划" open={planId !== null} onCancel={onClose} onOk={() => void submit()} okText="保存" cancelText="取消" okButtonProps={{ loading: saving, disabled: started || !plan.data }} destroyOnHidden>
      {plan.loading && <Spin />}
      {started && <Alert type="info" showIcon message="考试已开始，计划名称和报名截止时间不能再修改。" style={{ marginBottom: 12 }} />}
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      {plan.data && (
        <Form form={form} name="editPlan" layout="vertical" disabled={started}>
          <Typography.Paragraph type="secondary">
            计划编号 {plan.data.code ?? '—'} · 考试日期 {plan.data.examDate} · {plan.data.sittings.length} 个场次
          </Typography.Paragraph>
          <Form.Item name="name" label="计划名称" rules={[{ required: true, whitespace: true, message: '请填写计划名称' }, { max: 80, message: '不能超过 80 个字' }]}>
            <Input />
          </Form.Item>
          <Form.Item name="deadline" label="报名截止时间（北京时间）" extra="须早于第一场考试的开考时间">
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: 220 }} />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}

