// One proctor action, asked for with its reason (every action is recorded
// with one); 补时 also asks for the minutes. Disqualification and forced
// hand-in ask once more before they go.

import { useRef, useState, type ReactNode } from 'react';
import { Alert, App, Form, Input, InputNumber, Modal } from 'antd';
import { errorMessage } from '../../api';

export interface ActionRequest {
  title: string;
  /** What happens, said above the form. */
  description?: ReactNode;
  okText: string;
  danger?: boolean;
  /** Ask for 1–60 minutes (补时). */
  minutes?: boolean;
  reasonLabel?: string;
  reasonPlaceholder?: string;
  defaultReason?: string;
  /** Ask again before sending (取消考试资格, 强制交卷). */
  confirm?: { title: string; content: ReactNode; okText: string };
  run: (input: { reason: string; minutes: number }) => Promise<unknown>;
  /** Said in a message when done. */
  done: string;
}

export function ActionModal({ request, onClose, onDone }: { request: ActionRequest | null; onClose: () => void; onDone: () => void }) {
  // The last request stays shown while the dialog closes (its animation);
  // each new request gets a dialog of its own, so its form starts afresh.
  const last = useRef<ActionRequest | null>(null);
  const keys = useRef(new WeakMap<ActionRequest, number>());
  const next = useRef(0);
  if (request) last.current = request;
  const shown = last.current;
  if (!shown) return null;
  if (!keys.current.has(shown)) keys.current.set(shown, ++next.current);
  return <ActionDialog key={keys.current.get(shown)} request={shown} open={request !== null} onClose={onClose} onDone={onDone} />;
}

function ActionDialog({ request, open, onClose, onDone }: { request: ActionRequest; open: boolean; onClose: () => void; onDone: () => void }) {
  const { modal, message } = App.useApp();
  const [form] = Form.useForm<{ reason: string; minutes: number }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async () => {
    const values = await form.validateFields();
    if (request.confirm) {
      const sure = await modal.confirm({
        title: request.confirm.title,
        content: request.confirm.content,
        okText: request.confirm.okText,
        okButtonProps: { danger: true },
        cancelText: '再想想',
      });
      if (!sure) return;
    }
    setBusy(true);
    setError(null);
    try {
      await request.run({ reason: values.reason.trim(), minutes: values.minutes });
      void message.success(request.done);
      onDone();
      onClose();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      title={request.title}
      open={open}
      okText={request.okText}
      okButtonProps={{ danger: request.danger, loading: busy, 'data-testid': 'action-ok' }}
      cancelText="取消"
      destroyOnHidden
      onCancel={onClose}
      onOk={() => void submit().catch(() => undefined)}
    >
      {request.description && <div style={{ marginBottom: 16 }}>{request.description}</div>}
      {error && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={error} data-testid="action-error" />}
      <Form form={form} layout="vertical" initialValues={{ reason: request.defaultReason ?? '', minutes: 5 }} onFinish={() => void submit().catch(() => undefined)}>
        {request.minutes && (
          <Form.Item label="补时（分钟）" name="minutes" rules={[{ required: true, message: '请填写补时分钟数' }]}>
            <InputNumber min={1} max={60} precision={0} addonAfter="分钟" style={{ width: 160 }} data-testid="action-minutes" />
          </Form.Item>
        )}
        <Form.Item
          label={request.reasonLabel ?? '原因（记入考场情况记录表和操作日志）'}
          name="reason"
          rules={[{ required: true, whitespace: true, message: '请填写原因' }, { max: 500, message: '原因最多 500 个字' }]}
        >
          <Input.TextArea rows={3} autoFocus maxLength={500} showCount placeholder={request.reasonPlaceholder} data-testid="action-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
