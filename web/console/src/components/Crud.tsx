// The scaffolding of a list that is added to, edited and deleted from in
// place (专业, 班级, 教师): the table under its load error, the delete link
// with its confirmation, and the modal around an edit form.

import type { ReactNode } from 'react';
import { Alert, App, Button, Modal, Popconfirm, Table, type TableColumnsType, type TableProps } from 'antd';
import { errorMessage } from '../api';
import type { Loaded } from '../hooks';

/** The rows (20 a page) under the error of their last load. */
export function ListTable<T extends { id: string }>({ loaded, rows, columns, emptyText, testId, scroll }: {
  loaded: Pick<Loaded<unknown>, 'error' | 'loading'>;
  rows: readonly T[];
  columns: TableColumnsType<T>;
  emptyText: string;
  testId: string;
  scroll?: TableProps<T>['scroll'];
}) {
  return (
    <>
      {loaded.error !== undefined && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={`加载失败：${errorMessage(loaded.error)}`} />}
      <Table<T>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={rows}
        loading={loaded.loading}
        scroll={scroll}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText }}
        data-testid={testId}
      />
    </>
  );
}

/** 删除, after a confirmation; says `done` and calls `onDeleted` once `remove` succeeds, the server's error otherwise. */
export function DeleteLink({ title, description, disabled, remove, done, onDeleted }: {
  title: string;
  description: string;
  /** The confirmation's 删除 is disabled (the row is still in use). */
  disabled: boolean;
  remove: () => Promise<unknown>;
  done: string;
  onDeleted: () => void;
}) {
  const { message } = App.useApp();
  return (
    <Popconfirm
      title={title}
      description={description}
      okText="删除"
      okButtonProps={{ danger: true, disabled }}
      cancelText="取消"
      onConfirm={async () => {
        try {
          await remove();
          void message.success(done);
          onDeleted();
        } catch (err) {
          void message.error(errorMessage(err));
        }
      }}
    >
      <Button type="link" size="small" danger>
        删除
      </Button>
    </Popconfirm>
  );
}

/** The modal around a new-or-edit form: 保存 submits it (`onSave`), 取消 closes. */
export function FormModal({ title, open, busy, onSave, onCancel, destroyOnHidden, children }: {
  title: string;
  open: boolean;
  busy: boolean;
  onSave: () => void;
  onCancel: () => void;
  destroyOnHidden?: boolean;
  children: ReactNode;
}) {
  return (
    <Modal
      title={title}
      open={open}
      okText="保存"
      cancelText="取消"
      confirmLoading={busy}
      onCancel={onCancel}
      onOk={onSave}
      destroyOnHidden={destroyOnHidden}
      forceRender
    >
      {children}
    </Modal>
  );
}
