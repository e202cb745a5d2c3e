import { useState } from 'react';
import { App, Button, Descriptions, Empty, Space, Tabs, Typography } from 'antd';
import { api, download, errorMessage, saveBlob } from '../api';
import { formatBytes } from '../format';
import type { MarkingItem } from '../types';

/** A read-only file with line numbers. */
export function CodeView({ text, testId }: { text: string; testId?: string }) {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return (
    <div className="kw-code" data-testid={testId}>
      <table>
        <tbody>
          {lines.map((line, i) => (
            <tr key={i}>
              <td className="ln">{i + 1}</td>
              <td className="src">{line || ' '}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function FilesView({ files }: { files: Record<string, string> }) {
  const names = Object.keys(files).sort((a, b) => a.localeCompare(b));
  if (names.length === 0) return <Empty description="没有提交文件" />;
  return (
    <Tabs
      size="small"
      items={names.map((name) => ({
        key: name,
        label: <span className="kw-mono">{name}</span>,
        children: files[name]!.trim() === '' ? <Typography.Text type="secondary">（空文件）</Typography.Text> : <CodeView text={files[name]!} />,
      }))}
    />
  );
}

function UploadView({ markingId, upload }: { markingId: string; upload: NonNullable<MarkingItem['answer']['upload']> }) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  async function fetchZip() {
    setBusy(true);
    try {
      const { blob, filename } = await download(api.uploadPath(markingId));
      saveBlob(blob, filename ?? `${markingId}.zip`);
    } catch (err) {
      message.error(`下载失败：${errorMessage(err)}`);
    } finally {
      setBusy(false);
    }
  }
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Descriptions size="small" column={1} bordered styles={{ label: { width: 96, whiteSpace: 'nowrap' } }}>
        <Descriptions.Item label="文件名">
          <span className="kw-mono">{upload.name}</span>
        </Descriptions.Item>
        <Descriptions.Item label="大小">{formatBytes(upload.size)}</Descriptions.Item>
        <Descriptions.Item label="SHA-256">
          <Typography.Text className="kw-mono" style={{ fontSize: 12 }} copyable>
            {upload.sha256}
          </Typography.Text>
        </Descriptions.Item>
      </Descriptions>
      <Button type="primary" ghost onClick={fetchZip} loading={busy} data-testid="download-upload">
        下载项目压缩包
      </Button>
    </Space>
  );
}

/** The candidate's answer, read-only: files, a written text, or an uploaded zip. */
export function AnswerView({ item }: { item: MarkingItem }) {
  const { files, text, upload } = item.answer;
  if (files) return <FilesView files={files} />;
  if (text !== null) return <div className="kw-answer-text">{text}</div>;
  if (upload) return <UploadView markingId={item.markingId} upload={upload} />;
  return <Empty description="未作答" />;
}
