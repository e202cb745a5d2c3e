import { useState } from 'react';
import { App, Button, Form, Input, Modal, Space, type TableColumnsType } from 'antd';
import { errorMessage } from '../../../api';
import { useLoader } from '../../../hooks';
import { formatDateTime } from '../../../format';
import { orgApi, type Major } from '../../../admin/organizations';
import { DeleteLink, ListTable } from '../../../components/Crud';

const nameRules = [{ required: true, whitespace: true, message: '请输入专业名称' }, { max: 50, message: '专业名称最多 50 个字' }];

export function MajorsTab({ canEdit }: { canEdit: boolean }) {
  const { message } = App.useApp();
  const majors = useLoader((signal) => orgApi.majors(signal), []);
  const [form] = Form.useForm<{ name: string }>();
  const [busy, setBusy] = useState(false);
  const [renaming, setRenaming] = useState<Major | null>(null);
  const [renameForm] = Form.useForm<{ name: string }>();

  async function add({ name }: { name: string }) {
    setBusy(true);
    try {
      await orgApi.createMajor(name.trim());
      void message.success(`已新增专业：${name.trim()}`);
      form.resetFields();
      majors.reload();
    } catch (err) {
      void message.error(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  const columns: TableColumnsType<Major> = [
    { title: '专业名称', dataIndex: 'name', key: 'name' },
    { title: '班级', dataIndex: 'classes', key: 'classes', width: 80, align: 'right' },
    { title: '教师', dataIndex: 'teachers', key: 'teachers', width: 80, align: 'right' },
    { title: '考生', dataIndex: 'candidates', key: 'candidates', width: 80, align: 'right' },
    { title: '新增时间', dataIndex: 'createdAt', key: 'createdAt', width: 170, render: formatDateTime },
    ...(canEdit
      ? [{
          title: '操作',
          key: 'actions',
          width: 130,
          render: (_: unknown, m: Major) => (
            <Space size={0}>
              <Button type="link" size="small" onClick={() => { setRenaming(m); renameForm.setFieldsValue({ name: m.name }); }}>
                改名
              </Button>
              <DeleteLink
                title={`删除专业“${m.name}”？`}
                description={m.classes || m.candidates ? '该专业下还有班级或考生，不能删除。' : '删除后不可恢复。'}
                disabled={Boolean(m.classes || m.candidates)}
                remove={() => orgApi.deleteMajor(m.id)}
                done="专业已删除"
                onDeleted={majors.reload}
              />
            </Space>
          ),
        }]
      : []),
  ];

  return (
    <>
      {canEdit && (
        <Form form={form} layout="inline" onFinish={add} style={{ marginBottom: 16 }} disabled={busy}>
          <Form.Item name="name" rules={nameRules} style={{ width: 280 }}>
            <Input placeholder="专业名称，如 软件技术" maxLength={50} data-testid="major-name" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="major-add">
            新增专业
          </Button>
        </Form>
      )}
      <ListTable<Major>
        loaded={majors}
        rows={majors.data?.majors ?? []}
        columns={columns}
        emptyText={canEdit ? '尚无专业：请先新增专业，再新建班级' : '尚无专业'}
        testId="majors-table"
      />
      <Modal
        title="修改专业名称"
        open={renaming !== null}
        okText="保存"
        cancelText="取消"
        onCancel={() => setRenaming(null)}
        onOk={async () => {
          const { name } = await renameForm.validateFields();
          try {
            await orgApi.renameMajor(renaming!.id, name.trim());
            void message.success('专业名称已修改');
            setRenaming(null);
            majors.reload();
          } catch (err) {
            void message.error(errorMessage(err));
          }
        }}
      >
        <Form form={renameForm} layout="vertical">
          <Form.Item label="专业名称" name="name" rules={nameRules}>
            <Input maxLength={50} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
