import { Alert, Button, Card, Space, Tag, Typography } from 'antd';
import { api, errorMessage } from '../api';
import { useInterval, useLoader } from '../hooks';
import { formatTimeOfDay, GRADING_MODE_LABELS } from '../format';

const REFRESH_MS = 15_000;

function JobCount({ label, n, color }: { label: string; n: number; color?: string }) {
  return (
    <div style={{ textAlign: 'center', minWidth: 48 }}>
      <div style={{ fontSize: 12, color: 'rgba(0,0,0,0.45)' }}>{label}</div>
      <div style={{ fontSize: 20, lineHeight: '28px', color }}>{n}</div>
    </div>
  );
}

/** 自动判分: whether the sandbox can run code, and the grading jobs by state (operators). */
export function GradingStatusCard() {
  const status = useLoader((signal) => api.gradingStatus(signal), []);
  useInterval(status.reload, REFRESH_MS);
  const s = status.data;
  const count = (k: string) => s?.jobs[k] ?? 0;

  return (
    <Card
      size="small"
      title="自动判分"
      style={{ marginBottom: 16 }}
      data-testid="grading-status"
      loading={status.loading}
      extra={
        <Space>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            每 15 秒刷新 · 更新于 {status.loadedAt ? formatTimeOfDay(status.loadedAt) : '—'}
          </Typography.Text>
          <Button size="small" onClick={status.reload} loading={status.refreshing && !status.loading}>
            刷新
          </Button>
        </Space>
      }
    >
      {status.error !== undefined && !s && <Alert type="error" showIcon message={`加载判分状态失败：${errorMessage(status.error)}`} />}
      {s && (
        <div style={{ display: 'flex', alignItems: 'center', gap: 24 }}>
          <div style={{ flex: 1, minWidth: 0 }}>
            {s.sandbox.available ? (
              <Alert
                type="success"
                showIcon
                data-testid="sandbox-state"
                message={
                  <Space size={8}>
                    <span>判分沙箱可用</span>
                    <Tag style={{ marginInlineEnd: 0 }}>{GRADING_MODE_LABELS[s.mode]}</Tag>
                  </Space>
                }
              />
            ) : (
              <Alert
                type="error"
                showIcon
                data-testid="sandbox-state"
                message={
                  <Typography.Text strong type="danger">
                    判分沙箱不可用：{s.sandbox.reason ?? '原因未知'}
                  </Typography.Text>
                }
                description={
                  <span style={{ fontSize: 12 }}>
                    编程题、网页题和项目上传题的自动检查将排队等待，沙箱恢复后自动继续；人工阅卷不受影响。
                  </span>
                }
              />
            )}
          </div>
          <Space size={16} data-testid="grading-jobs">
            <JobCount label="排队中" n={count('queued')} color={count('queued') > 0 ? '#d48806' : undefined} />
            <JobCount label="判分中" n={count('running')} color="#1668dc" />
            <JobCount label="已完成" n={count('done')} color="#389e0d" />
            <JobCount label="失败" n={count('failed')} color={count('failed') > 0 ? '#cf1322' : undefined} />
          </Space>
        </div>
      )}
    </Card>
  );
}
