import { useEffect, useState } from 'react';
import { Alert, App, Button, Popconfirm, Select, Space, Table, Tag, Typography, Upload, type TableColumnsType } from 'antd';
import { ApiError, errorMessage } from '../../../api';
import { useLoader } from '../../../hooks';
import { formatDateTime } from '../../../format';
import {
  ACCOUNT_STATUS_COLORS, ACCOUNT_STATUS_LABELS, orgApi, savePasswordSheet, type CreatedAccount, type SheetError, type Student, type StudentImportResult,
} from '../../../admin/organizations';

const MAX_BYTES = 5 * 1024 * 1024;

type Outcome =
  | { kind: 'ok'; filename: string; result: StudentImportResult }
  | { kind: 'invalid'; filename: string; message: string; errors: SheetError[] }
  | { kind: 'error'; filename: string; message: string };

const errorColumns: TableColumnsType<SheetError> = [
  { title: '行号', dataIndex: 'row', key: 'row', width: 80, render: (r: number) => (r === 0 ? '整个文件' : `第 ${r} 行`) },
  { title: '列', dataIndex: 'column', key: 'column', width: 120, render: (c: string) => c || '—' },
  { title: '原因', dataIndex: 'reason', key: 'reason' },
];

const createdColumns: TableColumnsType<CreatedAccount> = [
  { title: '学号', dataIndex: 'studentNo', key: 'studentNo', width: 140 },
  { title: '姓名', dataIndex: 'name', key: 'name', width: 100 },
  { title: '登录账号', dataIndex: 'username', key: 'username', width: 180, render: (u: string) => <Typography.Text code>{u}</Typography.Text> },
  { title: '初始密码', dataIndex: 'password', key: 'password', render: (p: string) => <Typography.Text code copyable>{p}</Typography.Text> },
];

const studentColumns: TableColumnsType<Student> = [
  { title: '学号', dataIndex: 'studentNo', key: 'studentNo', width: 140 },
  { title: '姓名', dataIndex: 'name', key: 'name', width: 100 },
  { title: '登录账号', dataIndex: 'username', key: 'username', width: 180 },
  { title: '手机号码', dataIndex: 'phone', key: 'phone', width: 130, render: (p: string | null) => p ?? '—' },
  { title: '班级', key: 'class', render: (_, s) => s.class?.name ?? '—' },
  { title: '状态', dataIndex: 'status', key: 'status', width: 80, render: (s: Student['status']) => <Tag color={ACCOUNT_STATUS_COLORS[s]}>{ACCOUNT_STATUS_LABELS[s]}</Tag> },
  { title: '创建时间', dataIndex: 'createdAt', key: 'createdAt', width: 170, render: formatDateTime },
];

export function StudentsTab({ canImport }: { canImport: boolean }) {
  const { message, modal } = App.useApp();
  const classes = useLoader((signal) => orgApi.classes(signal), []);
  const [classId, setClassId] = useState<string | undefined>();
  const cls = classes.data?.classes.find((c) => c.id === classId);
  useEffect(() => {
    if (!classId && classes.data?.classes.length) setClassId(classes.data.classes[0]!.id);
  }, [classes.data, classId]);
  const students = useLoader((signal) => (classId ? orgApi.students(classId, signal) : Promise.resolve({ students: [] })), [classId]);
  const [picked, setPicked] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  function pick(file: File): boolean | string {
    if (!file.name.toLowerCase().endsWith('.xlsx')) {
      void message.error('只能导入 .xlsx 格式的文件（请使用下载的导入模板）');
      return Upload.LIST_IGNORE;
    }
    if (file.size > MAX_BYTES) {
      void message.error('文件超过 5 MB，请分批导入');
      return Upload.LIST_IGNORE;
    }
    setPicked(file);
    setOutcome(null);
    return false;
  }

  async function runImport() {
    if (!picked || !classId) return;
    setBusy(true);
    try {
      const result = await orgApi.importStudents(classId, picked);
      setOutcome({ kind: 'ok', filename: picked.name, result });
      setPicked(null);
      void message.success(`已创建 ${result.created} 个学生账号`);
      students.reload();
      classes.reload();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'STUDENTS_INVALID') {
        setOutcome({ kind: 'invalid', filename: picked.name, message: err.message, errors: Array.isArray(err.extra.errors) ? (err.extra.errors as SheetError[]) : [] });
      } else {
        setOutcome({ kind: 'error', filename: picked.name, message: errorMessage(err) });
      }
    } finally {
      setBusy(false);
    }
  }

  /** 重置密码: a new generated password, shown once; the student changes it at the next log-in. */
  async function resetPassword(s: Student) {
    try {
      const r = await orgApi.resetStudentPassword(s.id);
      modal.success({
        title: '密码已重置',
        content: (
          <div data-testid="student-password">
            <p>登录账号：<Typography.Text code copyable>{r.username}</Typography.Text></p>
            <p>新密码：<Typography.Text code copyable>{r.password}</Typography.Text></p>
            <Typography.Text type="secondary">密码只显示这一次，请转告学生；学生登录后须先修改密码。</Typography.Text>
          </div>
        ),
        okText: '知道了',
      });
    } catch (err) {
      void message.error(errorMessage(err));
    }
  }
  const columns: TableColumnsType<Student> = canImport
    ? [...studentColumns, {
        title: '操作',
        key: 'actions',
        width: 100,
        render: (_, s) => (
          <Popconfirm title={`重置 ${s.name} 的密码？`} description="将生成新的随机密码，原密码立即失效。" okText="重置" cancelText="取消" onConfirm={() => resetPassword(s)}>
            <Button type="link" size="small" data-testid={`student-reset-${s.username}`}>
              重置密码
            </Button>
          </Popconfirm>
        ),
      }]
    : studentColumns;

  async function template() {
    if (!cls) return;
    try {
      await orgApi.downloadStudentTemplate(cls.id, cls.name);
    } catch (err) {
      void message.error(errorMessage(err));
    }
  }

  return (
    <>
      <Space wrap style={{ marginBottom: 16 }}>
        <span>班级：</span>
        <Select
          style={{ width: 240 }}
          placeholder={classes.loading ? '加载中…' : '请选择班级'}
          value={classId}
          onChange={(v) => {
            setClassId(v);
            setOutcome(null);
          }}
          options={(classes.data?.classes ?? []).map((c) => ({ value: c.id, label: `${c.name}（${c.students} 人）` }))}
          notFoundContent="尚无班级，请证书负责人先新建班级"
          data-testid="student-class"
        />
        {canImport && (
          <>
            <Button onClick={() => void template()} disabled={!cls} data-testid="student-template">
              下载导入模板
            </Button>
            <Upload accept=".xlsx" maxCount={1} showUploadList={false} beforeUpload={pick} disabled={!cls}>
              <Button disabled={!cls} data-testid="student-pick">
                {picked ? '重新选择' : '选择文件'}
              </Button>
            </Upload>
            <Typography.Text type={picked ? undefined : 'secondary'} data-testid="student-picked">
              {picked ? picked.name : '尚未选择文件'}
            </Typography.Text>
            <Button type="primary" disabled={!picked || !cls} loading={busy} onClick={() => void runImport()} data-testid="student-import">
              导入学生账号
            </Button>
          </>
        )}
      </Space>
      {canImport && (
        <Typography.Paragraph type="secondary">
          模板默认 30 行，按报考人数填写学号和姓名（手机号选填）；登录账号为“院校代码 + 学号”。整批导入：有任何一行错误都不会创建账号，并列出每一处错误。初始密码只在导入成功后显示一次，请下载初始密码表发给学生。
        </Typography.Paragraph>
      )}
      {outcome?.kind === 'invalid' && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          message={`${outcome.filename}：${outcome.message}`}
          data-testid="student-import-errors"
          description={<Table<SheetError> rowKey={(e) => `${e.row}-${e.column}-${e.reason}`} size="small" columns={errorColumns} dataSource={outcome.errors} pagination={false} style={{ marginTop: 8 }} />}
        />
      )}
      {outcome?.kind === 'error' && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={`导入失败：${outcome.filename}`} description={outcome.message} />}
      {outcome?.kind === 'ok' && (
        <Alert
          type="success"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="student-import-result"
          message={`导入成功：${outcome.result.class.name} 新建 ${outcome.result.created} 个学生账号`}
          description={
            <>
              <Space style={{ margin: '8px 0' }}>
                <Button type="primary" onClick={() => savePasswordSheet(outcome.result)} data-testid="student-passwords">
                  下载初始密码表
                </Button>
                <Typography.Text type="warning">初始密码只显示这一次，离开本页后无法再次查看。</Typography.Text>
              </Space>
              <Table<CreatedAccount> rowKey="username" size="small" columns={createdColumns} dataSource={outcome.result.accounts} pagination={{ pageSize: 10, hideOnSinglePage: true }} />
            </>
          }
        />
      )}
      {students.error !== undefined && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={`加载失败：${errorMessage(students.error)}`} />}
      <Table<Student>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={students.data?.students ?? []}
        loading={students.loading || classes.loading}
        pagination={{ pageSize: 30, hideOnSinglePage: true }}
        locale={{ emptyText: cls ? '该班级尚无学生账号' : '请选择班级' }}
        data-testid="students-table"
      />
    </>
  );
}
