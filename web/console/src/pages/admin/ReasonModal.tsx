// 驳回: a reason is required, and the applicant sees it when signing in.

import { useState } from 'react';
import { Form, Input, Modal } from 'antd';

export function ReasonModal({ title, open, onCancel, onSubmit }: { title: string; open: boolean; onCancel: () => void; onSubmit: (reason: string) => Promise<void> }) {
  const [form] = Form.useForm<{ reason: string }>();
  const [busy, setBusy] = useState(false);
  return (
    <Modal
      title={title}
      open={open}
      okText="确认驳回"
      okButtonProps={{ danger: true, loading: busy }}
      cancelText="取消"
      destroyOnHidden
      onCancel={onCancel}
      onOk={async () => {
        const { reason } = await form.validateFields();
        setBusy(true);
        try {
          await onSubmit(reason.trim());
          form.resetFields();
        } finally {
          setBusy(false);
        }
      }}
    >
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item
          label="驳回原因（申请人登录时可见）"
          name="reason"
          rules={[{ required: true, whitespace: true, message: '请填写驳回原因' }, { max: 500, message: '原因最多 500 个字' }]}
        >
          <Input.TextArea rows={3} autoFocus placeholder="如：院校代码与院校名称不符，请核对后重新注册" data-testid="reject-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
