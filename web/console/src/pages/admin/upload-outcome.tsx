// What came of an all-or-nothing upload (考生导入, 照片压缩包): done; refused,
// with every problem the server listed in a table; or failed outright.

import type { ReactNode } from 'react';
import { Alert, Table, type TableColumnsType } from 'antd';
import { ApiError, errorMessage } from '../../api';

export type UploadOutcome<P> =
  | { kind: 'ok'; title: string; description?: ReactNode }
  | { kind: 'refused'; title: string; message: string; problems: P[] }
  | { kind: 'failed'; title: string; message: string };

/** The outcome of an upload that threw: refused when the error is `code` with its list in `listKey`, else failed. */
export function failedUpload<P>(err: unknown, code: string, listKey: string, titles: { refused: string; failed: string }): UploadOutcome<P> {
  if (err instanceof ApiError && err.code === code) {
    const list = err.extra[listKey];
    return { kind: 'refused', title: titles.refused, message: err.message, problems: Array.isArray(list) ? (list as P[]) : [] };
  }
  return { kind: 'failed', title: titles.failed, message: errorMessage(err) };
}

/** The outcome as an alert; `testId`-result, -failed or -errors for the tests. */
export function UploadOutcomeView<P extends object>({ outcome, testId, columns, total, onClose }: {
  outcome: UploadOutcome<P>;
  testId: string;
  /** The problems table's columns. */
  columns: TableColumnsType<P & { key: number }>;
  /** The table's count line, e.g. 共 5 处错误. */
  total: (n: number) => string;
  onClose: () => void;
}) {
  const common = { showIcon: true, closable: true, onClose, style: { marginBottom: 16 } };
  if (outcome.kind === 'ok') return <Alert data-testid={`${testId}-result`} type="success" {...common} message={outcome.title} description={outcome.description} />;
  if (outcome.kind === 'failed') return <Alert data-testid={`${testId}-failed`} type="error" {...common} message={outcome.title} description={outcome.message} />;
  return (
    <Alert
      data-testid={`${testId}-errors`}
      type="error"
      {...common}
      message={outcome.title}
      description={
        <>
          <div style={{ marginBottom: 8 }}>{outcome.message}</div>
          <Table<P & { key: number }>
            size="small"
            bordered
            rowKey="key"
            dataSource={outcome.problems.map((p, i) => ({ ...p, key: i }))}
            pagination={{ pageSize: 50, hideOnSinglePage: true, showTotal: total }}
            columns={columns}
          />
        </>
      }
    />
  );
}
