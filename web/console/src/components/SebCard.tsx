import { useState } from 'react';
import { App as AntApp, Button, Card, Input, Popconfirm, Space, Tag, Typography } from 'antd';
import { api, errorMessage } from '../api';

const CONFIG_KEY = /^[0-9a-fA-F]{64}$/;

/**
 * 安全考试浏览器 (Safe Exam Browser) for one sitting: the operator pastes the
 * configuration's Config Key to require SEB, or stops requiring it. The key is
 * never shown again (the server does not return it).
 */
export function SebCard({ sittingId, required, onChanged }: { sittingId: string; required: boolean; onChanged: () => void }) {
  const { message } = AntApp.useApp();
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const trimmed = key.trim();
  const invalid = trimmed !== '' && !CONFIG_KEY.test(trimmed);

  const save = async (configKey: string | null) => {
    setBusy(true);
    try {
      const r = await api.setSittingSeb(sittingId, configKey);
      message.success(r.sebRequired ? '已要求使用安全考试浏览器' : '已取消安全考试浏览器要求');
      setKey('');
      onChanged();
    } catch (err) {
      message.error(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card size="small" title="安全考试浏览器（Safe Exam Browser）" style={{ marginBottom: 16 }} data-testid="seb-card">
      <Space direction="vertical" style={{ width: '100%' }}>
        <Space>
          <span>当前：</span>
          {required ? <Tag color="blue" data-testid="seb-state">要求使用</Tag> : <Tag data-testid="seb-state">不要求</Tag>}
          <Typography.Text type="secondary">
            要求后，考生的每个请求都须带有与配置密钥相符的 X-SafeExamBrowser-ConfigKeyHash，否则被拒绝。
          </Typography.Text>
        </Space>
        <Space wrap>
          <Input
            style={{ width: 520 }}
            placeholder="粘贴 SEB 配置的 Config Key（64 位十六进制）"
            value={key}
            onChange={(e) => setKey(e.target.value)}
            status={invalid ? 'error' : undefined}
            aria-label="SEB 配置密钥"
            data-testid="seb-key"
          />
          <Button type="primary" disabled={trimmed === '' || invalid} loading={busy} onClick={() => void save(trimmed)} data-testid="seb-save">
            {required ? '更换密钥' : '要求使用'}
          </Button>
          {required && (
            <Popconfirm title="取消后，考生可用普通浏览器参加本场考试。确定取消？" okText="取消要求" cancelText="返回" onConfirm={() => void save(null)}>
              <Button danger loading={busy} data-testid="seb-clear">
                取消要求
              </Button>
            </Popconfirm>
          )}
        </Space>
        {invalid && <Typography.Text type="danger">配置密钥（Config Key）应为 64 位十六进制字符</Typography.Text>}
      </Space>
    </Card>
  );
}
