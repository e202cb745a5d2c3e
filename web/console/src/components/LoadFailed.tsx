import type { ReactNode } from 'react';
import { Button, Card, Result, Space } from 'antd';
import { ApiError, errorMessage } from '../api';

/**
 * A page whose data has not come: a loading card while it is on its way, or
 * 404 (also for 403: another's record looks like a missing one) or the error,
 * with a way back and a retry.
 */
export function LoadFailed(props: {
  breadcrumb: ReactNode;
  /** undefined: still loading */
  error: unknown;
  notFoundTitle: string;
  notFoundText: string;
  back: { href: string; label: string };
  onRetry: () => void;
}) {
  const { breadcrumb, error } = props;
  if (error === undefined) {
    return (
      <>
        {breadcrumb}
        <Card loading />
      </>
    );
  }
  const notFound = error instanceof ApiError && (error.status === 404 || error.status === 403);
  return (
    <>
      {breadcrumb}
      <Card>
        <Result
          status={notFound ? '404' : 'error'}
          title={notFound ? props.notFoundTitle : '加载失败'}
          subTitle={notFound ? props.notFoundText : errorMessage(error)}
          extra={
            <Space>
              <Button href={props.back.href}>{props.back.label}</Button>
              {!notFound && (
                <Button type="primary" onClick={props.onRetry}>
                  重试
                </Button>
              )}
            </Space>
          }
        />
      </Card>
    </>
  );
}
