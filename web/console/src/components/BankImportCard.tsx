import { useState } from 'react';
import { Alert, App, Button, Card, Col, List, Row, Space, Statistic, Typography, Upload } from 'antd';
import { api, ApiError, errorMessage } from '../api';
import { levelLabel } from '../format';
import type { BankImportReport, BankProblem } from '../types';

const ACCEPT = ['.yaml', '.yml', '.json'];
const MAX_BYTES = 4 * 1024 * 1024;

function formatSize(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

type Outcome =
  | { kind: 'ok'; filename: string; report: BankImportReport }
  | { kind: 'invalid'; filename: string; message: string; problems: BankProblem[] }
  | { kind: 'error'; filename: string; message: string };

function readText(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result ?? ''));
    reader.onerror = () => reject(reader.error ?? new Error('读取文件失败'));
    reader.readAsText(file, 'utf-8');
  });
}

export function BankImportCard({ onImported }: { onImported: () => void }) {
  const { message } = App.useApp();
  const [picked, setPicked] = useState<{ name: string; size: number; content: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  async function pick(file: File): Promise<boolean | string> {
    const lower = file.name.toLowerCase();
    if (!ACCEPT.some((ext) => lower.endsWith(ext))) {
      message.error('只能导入 .yaml、.yml 或 .json 格式的题库文件');
      return Upload.LIST_IGNORE;
    }
    if (file.size > MAX_BYTES) {
      message.error('文件超过 4 MB，无法导入');
      return Upload.LIST_IGNORE;
    }
    try {
      const content = await readText(file);
      setPicked({ name: file.name, size: file.size, content });
      setOutcome(null);
    } catch (err) {
      message.error(`读取文件失败：${errorMessage(err)}`);
      return Upload.LIST_IGNORE;
    }
    return false; // we send it ourselves, as JSON
  }

  async function runImport() {
    if (!picked) return;
    setBusy(true);
    try {
      const report = await api.importBank(picked.name, picked.content);
      setOutcome({ kind: 'ok', filename: picked.name, report });
      message.success('题库导入成功');
      onImported();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'BANK_INVALID') {
        const problems = Array.isArray(err.extra.problems) ? (err.extra.problems as BankProblem[]) : [];
        setOutcome({ kind: 'invalid', filename: picked.name, message: err.message, problems });
      } else {
        setOutcome({ kind: 'error', filename: picked.name, message: errorMessage(err) });
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title="导入题库">
      <Typography.Paragraph type="secondary">
        选择 kaowu-bank 格式的题库文件（.yaml、.yml 或 .json）。文件会整体校验：有任何错误时不导入任何题目，并列出每一处错误的位置和原因。
      </Typography.Paragraph>
      <Space wrap>
        <Upload accept={ACCEPT.join(',')} maxCount={1} showUploadList={false} beforeUpload={pick}>
          <Button>{picked ? '重新选择' : '选择文件'}</Button>
        </Upload>
        <Typography.Text type={picked ? undefined : 'secondary'} data-testid="bank-picked">
          {picked ? `${picked.name}（${formatSize(picked.size)}）` : '尚未选择文件'}
        </Typography.Text>
        <Button type="primary" disabled={!picked} loading={busy} onClick={runImport}>
          开始导入
        </Button>
      </Space>
      {outcome && <OutcomeView outcome={outcome} />}
    </Card>
  );
}

function OutcomeView({ outcome }: { outcome: Outcome }) {
  if (outcome.kind === 'ok') {
    const r = outcome.report;
    return (
      <Alert
        data-testid="bank-import-result"
        style={{ marginTop: 16 }}
        type="success"
        showIcon
        message={`导入成功：${outcome.filename}（证书 ${r.certificate}，${levelLabel(r.level)}）`}
        description={
          <Row gutter={32} style={{ marginTop: 8 }}>
            <Col>
              <Statistic title="新增" value={r.added} suffix="题" />
            </Col>
            <Col>
              <Statistic title="修订" value={r.revised} suffix="题" />
            </Col>
            <Col>
              <Statistic title="未变" value={r.unchanged} suffix="题" />
            </Col>
          </Row>
        }
      />
    );
  }
  if (outcome.kind === 'invalid') {
    return (
      <Alert
        data-testid="bank-import-result"
        style={{ marginTop: 16 }}
        type="error"
        showIcon
        message={`${outcome.filename}：${outcome.message}`}
        description={
          <List
            size="small"
            data-testid="bank-problems"
            style={{ marginTop: 8 }}
            dataSource={outcome.problems}
            renderItem={(p) => (
              <List.Item>
                <Typography.Text style={{ fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
                  {p.text}
                </Typography.Text>
              </List.Item>
            )}
          />
        }
      />
    );
  }
  return (
    <Alert
      data-testid="bank-import-result"
      style={{ marginTop: 16 }}
      type="error"
      showIcon
      message={`导入失败：${outcome.filename}`}
      description={outcome.message}
    />
  );
}
