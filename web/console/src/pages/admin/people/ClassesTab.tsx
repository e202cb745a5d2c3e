import { useState } from 'react';
import { App, Button, Form, Input, Select, Space, Typography, type TableColumnsType } from 'antd';
import { errorMessage } from '../../../api';
import { useLoader } from '../../../hooks';
import { orgApi, type ClassInput, type SchoolClass } from '../../../admin/organizations';
import { DeleteLink, FormModal, ListTable } from '../../../components/Crud';

export function ClassesTab({ canEdit }: { canEdit: boolean }) {
  const { message } = App.useApp();
  const classes = useLoader((signal) => orgApi.classes(signal), []);
  const majors = useLoader((signal) => orgApi.majors(signal), []);
  const teachers = useLoader((signal) => (canEdit ? orgApi.teachers(signal) : Promise.resolve({ teachers: [] })), [canEdit]);
  const [editing, setEditing] = useState<SchoolClass | 'new' | null>(null);
  const [form] = Form.useForm<ClassInput>();
  const [busy, setBusy] = useState(false);
  const teacherOptions = (teachers.data?.teachers ?? []).filter((t) => t.status !== 'rejected').map((t) => ({ value: t.id, label: `${t.displayName}（${t.username}）` }));
  const majorOptions = (majors.data?.majors ?? []).map((m) => ({ value: m.id, label: m.name }));

  async function save(values: ClassInput) {
    setBusy(true);
    const input = { ...values, name: values.name.trim(), headTeacherId: values.headTeacherId ?? null, counsellorId: values.counsellorId ?? null };
    try {
      if (editing === 'new') await orgApi.createClass(input);
      else if (editing) await orgApi.updateClass(editing.id, input);
      void message.success(editing === 'new' ? `已新建班级：${input.name}` : '班级已保存');
      setEditing(null);
      classes.reload();
    } catch (err) {
      void message.error(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  const person = (r: SchoolClass['headTeacher']) => (r ? r.name : <Typography.Text type="secondary">—</Typography.Text>);
  const columns: TableColumnsType<SchoolClass> = [
    { title: '班级名称', dataIndex: 'name', key: 'name' },
    { title: '专业', key: 'major', render: (_, c) => c.major?.name ?? '—' },
    { title: '班主任', key: 'head', width: 110, render: (_, c) => person(c.headTeacher) },
    { title: '辅导员', key: 'counsellor', width: 110, render: (_, c) => person(c.counsellor) },
    { title: '学生账号', dataIndex: 'students', key: 'students', width: 90, align: 'right' },
    ...(canEdit
      ? [{
          title: '操作',
          key: 'actions',
          width: 120,
          render: (_: unknown, c: SchoolClass) => (
            <Space size={0}>
              <Button
                type="link"
                size="small"
                onClick={() => {
                  setEditing(c);
                  form.setFieldsValue({ name: c.name, majorId: c.major?.id, headTeacherId: c.headTeacher?.id ?? null, counsellorId: c.counsellor?.id ?? null });
                }}
              >
                编辑
              </Button>
              <DeleteLink
                title={`删除班级“${c.name}”？`}
                description={c.students ? '该班级还有学生账号，不能删除。' : '删除后不可恢复。'}
                disabled={c.students > 0}
                remove={() => orgApi.deleteClass(c.id)}
                done="班级已删除"
                onDeleted={classes.reload}
              />
            </Space>
          ),
        }]
      : []),
  ];

  return (
    <>
      {canEdit && (
        <Space style={{ marginBottom: 16 }}>
          <Button
            type="primary"
            data-testid="class-add"
            disabled={!majorOptions.length}
            onClick={() => {
              setEditing('new');
              form.resetFields();
            }}
          >
            新建班级
          </Button>
          {!majors.loading && !majorOptions.length && <Typography.Text type="secondary">请先在“专业”中新增专业。</Typography.Text>}
        </Space>
      )}
      <ListTable<SchoolClass> loaded={classes} rows={classes.data?.classes ?? []} columns={columns} emptyText="尚无班级" testId="classes-table" />
      <FormModal title={editing === 'new' ? '新建班级' : '编辑班级'} open={editing !== null} busy={busy} onSave={() => form.submit()} onCancel={() => setEditing(null)}>
        <Form<ClassInput> form={form} layout="vertical" onFinish={save} requiredMark="optional">
          <Form.Item label="班级名称" name="name" rules={[{ required: true, whitespace: true, message: '请输入班级名称' }, { max: 50, message: '班级名称最多 50 个字' }]}>
            <Input placeholder="如 软件2301" data-testid="class-name" />
          </Form.Item>
          <Form.Item label="专业" name="majorId" rules={[{ required: true, message: '请选择专业' }]}>
            <Select placeholder="选择专业" options={majorOptions} data-testid="class-major" />
          </Form.Item>
          <Form.Item label="班主任" name="headTeacherId" extra="须为本院校教师">
            <Select allowClear placeholder="选择教师" options={teacherOptions} showSearch optionFilterProp="label" data-testid="class-head" />
          </Form.Item>
          <Form.Item label="辅导员" name="counsellorId">
            <Select allowClear placeholder="选择教师" options={teacherOptions} showSearch optionFilterProp="label" data-testid="class-counsellor" />
          </Form.Item>
        </Form>
      </FormModal>
    </>
  );
}
