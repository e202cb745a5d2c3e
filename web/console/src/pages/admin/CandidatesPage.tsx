// 考生管理: the institution's candidates — filters, a paged table, the upload
// template, an all-or-nothing import that lists every bad row, photos in bulk
// from a .zip (every bad file listed), the export, and an edit drawer with the
// photo.

import { useEffect, useMemo, useState } from 'react';
import {
  Alert, App, Button, Card, Drawer, Form, Input, Popconfirm, Radio, Select, Space, Table, Tag, Typography, Upload, type TableColumnsType,
} from 'antd';
import { errorMessage } from '../../api';
import { useLoader, usePaging } from '../../hooks';
import { formatDateTime, LEVEL_LABELS } from '../../format';
import { getUser } from '../../session';
import {
  ID_TYPE_LABELS, PHOTO_ARCHIVE_MAX_BYTES, registrationApi, type Candidate, type CandidatePatch, type ImportProblem, type PhotoFileProblem, type ScopeOptions,
} from '../../admin/registration';
import { RegistrationCell, useCandidateFilter } from './candidate-parts';
import { failedUpload, UploadOutcomeView, type UploadOutcome } from './upload-outcome';

const PHOTO_MAX = 200 * 1024;

const IMPORT_PROBLEM_COLUMNS: TableColumnsType<ImportProblem & { key: number }> = [
  { title: '行', dataIndex: 'row', key: 'row', width: 72, align: 'right', render: (r: number) => (r > 0 ? `第 ${r} 行` : '整个文件') },
  { title: '列', dataIndex: 'column', key: 'column', width: 120, render: (c: string) => c || '—' },
  { title: '原因', dataIndex: 'reason', key: 'reason' },
];

const PHOTO_PROBLEM_COLUMNS: TableColumnsType<PhotoFileProblem & { key: number }> = [
  { title: '文件', dataIndex: 'file', key: 'file', width: 280, render: (f: string) => <span style={{ wordBreak: 'break-all' }}>{f}</span> },
  { title: '原因', dataIndex: 'reason', key: 'reason' },
];

export function CandidatesPage() {
  const user = getUser();
  const canEdit = user?.role === 'operator' || user?.role === 'coordinator';
  const isOperator = user?.role === 'operator';
  const { message } = App.useApp();

  const options = useLoader((signal) => registrationApi.scopeOptions(signal), []);
  const { page, pageSize, setPage, pagination } = usePaging(20, [20, 50, 100, 200]);
  const { filter, filterKey, setFilterPart, search, setSearch, majors, classes } = useCandidateFilter(options.data, () => setPage(1));
  const list = useLoader((signal) => registrationApi.candidates(filter, page, pageSize, signal), [filterKey, page, pageSize]);

  const [importing, setImporting] = useState(false);
  const [outcome, setOutcome] = useState<UploadOutcome<ImportProblem> | null>(null);
  const [uploadingPhotos, setUploadingPhotos] = useState(false);
  const [photoOutcome, setPhotoOutcome] = useState<UploadOutcome<PhotoFileProblem> | null>(null);
  const [exporting, setExporting] = useState(false);
  const [editing, setEditing] = useState<Candidate | null>(null);

  const opts = options.data;

  async function runImport(file: File) {
    if (!file.name.toLowerCase().endsWith('.xlsx')) {
      void message.error('请选择 .xlsx 格式的 Excel 文件（旧版 .xls 请先另存为 .xlsx）');
      return;
    }
    setImporting(true);
    setOutcome(null);
    try {
      const report = await registrationApi.importCandidates(file);
      setOutcome({
        kind: 'ok',
        title: `导入成功：${file.name}，共 ${report.imported} 名考生`,
        description: report.institutions.map((i) => `${i.institutionName} ${i.count} 名`).join('；'),
      });
      void message.success(`已导入 ${report.imported} 名考生`);
      list.reload();
    } catch (err) {
      setOutcome(failedUpload(err, 'IMPORT_INVALID', 'rows', { refused: `未导入：${file.name}`, failed: `导入失败：${file.name}` }));
    } finally {
      setImporting(false);
    }
  }

  async function runPhotoUpload(file: File) {
    if (!file.name.toLowerCase().endsWith('.zip')) {
      void message.error('请选择 .zip 格式的照片压缩包（RAR、7z 等格式请改用 zip 格式压缩）');
      return;
    }
    if (file.size > PHOTO_ARCHIVE_MAX_BYTES) {
      void message.error(`照片压缩包不能超过 50 MB（当前 ${Math.ceil(file.size / 1024 / 1024)} MB），请分批压缩后上传`);
      return;
    }
    setUploadingPhotos(true);
    setPhotoOutcome(null);
    try {
      const r = await registrationApi.uploadPhotoArchive(file);
      setPhotoOutcome({
        kind: 'ok',
        title: `照片上传成功：${file.name}，共保存 ${r.stored} 张照片`,
        description: `其中 ${r.replaced} 张替换了原有照片；${r.missing > 0 ? `还有 ${r.missing} 名考生没有照片` : '所有考生都已有照片'}。`,
      });
      void message.success(`已保存 ${r.stored} 张照片`);
      list.reload();
    } catch (err) {
      setPhotoOutcome(failedUpload(err, 'PHOTOS_INVALID', 'files', { refused: `未保存照片：${file.name}`, failed: `照片上传失败：${file.name}` }));
    } finally {
      setUploadingPhotos(false);
    }
  }

  async function runExport() {
    setExporting(true);
    try {
      await registrationApi.exportCandidates(filter);
    } catch (err) {
      void message.error(`导出失败：${errorMessage(err)}`);
    } finally {
      setExporting(false);
    }
  }

  async function remove(c: Candidate) {
    try {
      await registrationApi.deleteCandidate(c.id);
      void message.success(`已删除考生 ${c.name}`);
      list.reload();
    } catch (err) {
      void message.error(errorMessage(err));
    }
  }

  const columns: TableColumnsType<Candidate> = [
    { title: '姓名', dataIndex: 'name', key: 'name', width: 90, fixed: 'left' },
    { title: '性别', dataIndex: 'gender', key: 'gender', width: 52, align: 'center', render: (g: string | null) => g ?? '—' },
    {
      title: '证件号码',
      dataIndex: 'idNumber',
      key: 'idNumber',
      width: 172,
      render: (n: string, c) => (
        <span style={{ fontFamily: 'monospace' }} title={ID_TYPE_LABELS[c.idType] ?? c.idType}>
          {n}
        </span>
      ),
    },
    ...(isOperator ? [{ title: '院校', dataIndex: 'institutionName', key: 'institution', width: 160, ellipsis: true, render: (v: string | null) => v ?? '—' }] : []),
    {
      title: '班级（专业）',
      key: 'class',
      width: 150,
      render: (_, c) => (
        <div style={{ lineHeight: 1.3 }}>
          <div>{c.className ?? '—'}</div>
          {c.majorName && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {c.majorName}
            </Typography.Text>
          )}
        </div>
      ),
    },
    { title: '手机号', dataIndex: 'phone', key: 'phone', width: 116, render: (v: string | null) => v ?? '—' },
    {
      title: '照片',
      dataIndex: 'hasPhoto',
      key: 'photo',
      width: 64,
      align: 'center',
      render: (has: boolean) => (has ? <Tag color="green" style={{ marginInlineEnd: 0 }}>有</Tag> : <Tag style={{ marginInlineEnd: 0 }}>无</Tag>),
    },
    {
      title: '报考',
      key: 'registration',
      width: 196,
      render: (_, c) => <RegistrationCell registration={c.registration} />,
    },
    ...(canEdit
      ? [
          {
            title: '操作',
            key: 'actions',
            width: 110,
            fixed: 'right' as const,
            render: (_: unknown, c: Candidate) => (
              <Space size={4}>
                <Button size="small" type="link" onClick={() => setEditing(c)} aria-label={`编辑 ${c.name}`}>
                  编辑
                </Button>
                <Popconfirm
                  title={`删除考生 ${c.name}？`}
                  description={c.registration ? '该考生已报考，须先取消报考才能删除。' : '删除后不可恢复。'}
                  okText="删除"
                  okButtonProps={{ danger: true }}
                  cancelText="取消"
                  onConfirm={() => remove(c)}
                >
                  <Button size="small" type="link" danger>
                    删除
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <>
      <Card
        title="考生管理"
        extra={
          <Space wrap>
            <Button onClick={() => registrationApi.downloadTemplate().catch((err) => message.error(`下载失败：${errorMessage(err)}`))}>下载模板</Button>
            {canEdit && (
              <Upload
                accept=".xlsx"
                showUploadList={false}
                maxCount={1}
                beforeUpload={(file) => {
                  void runImport(file);
                  return false;
                }}
              >
                <Button type="primary" loading={importing} data-testid="import-button">
                  导入
                </Button>
              </Upload>
            )}
            {canEdit && (
              <Upload
                accept=".zip"
                showUploadList={false}
                maxCount={1}
                beforeUpload={(file) => {
                  void runPhotoUpload(file);
                  return false;
                }}
              >
                <Button loading={uploadingPhotos} data-testid="photos-button">
                  批量上传照片
                </Button>
              </Upload>
            )}
            <Button onClick={() => void runExport()} loading={exporting}>
              导出
            </Button>
          </Space>
        }
      >
        <Typography.Paragraph type="secondary" style={{ marginTop: -4 }}>
          按模板填写考生信息后导入：整批校验，只要有一行有错误就不导入任何考生，并列出每一处错误的行号、列名和原因。证件号码已存在的考生不能重复导入。
        </Typography.Paragraph>
        {canEdit && (
          <Typography.Paragraph type="secondary" data-testid="photos-help">
            批量上传照片：将考生照片（JPG 或 PNG，每张不超过 200 KB）压缩为一个 .zip 文件上传，每个文件名须与导入时填写的“照片文件名”一致，或以考生的证件号码命名（如
            11010519491231002X.jpg），照片可放在文件夹中。只要有一个文件不符合要求就不保存任何照片，并列出每个有问题的文件和原因。
          </Typography.Paragraph>
        )}
        {outcome && <UploadOutcomeView outcome={outcome} testId="import" columns={IMPORT_PROBLEM_COLUMNS} total={(n) => `共 ${n} 处错误`} onClose={() => setOutcome(null)} />}
        {photoOutcome && (
          <UploadOutcomeView outcome={photoOutcome} testId="photos" columns={PHOTO_PROBLEM_COLUMNS} total={(n) => `共 ${n} 个文件有问题`} onClose={() => setPhotoOutcome(null)} />
        )}
        {options.error !== undefined && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={`加载院校、专业和班级失败：${errorMessage(options.error)}`} />}

        <Space wrap style={{ marginBottom: 16 }}>
          {isOperator && (
            <Select<string>
              allowClear
              showSearch
              optionFilterProp="label"
              style={{ width: 220 }}
              placeholder="全部院校"
              aria-label="院校"
              value={filter.institutionId}
              onChange={(v) => setFilterPart({ institutionId: v, majorId: undefined, classId: undefined })}
              options={(opts?.institutions ?? []).map((i) => ({ value: i.id, label: `${i.name}（${i.code}）` }))}
            />
          )}
          <Select<string>
            allowClear
            style={{ width: 170 }}
            placeholder="全部专业"
            aria-label="专业"
            value={filter.majorId}
            onChange={(v) => setFilterPart({ majorId: v, classId: undefined })}
            options={majors.map((m) => ({ value: m.id, label: m.name }))}
            notFoundContent="暂无专业"
          />
          <Select<string>
            allowClear
            style={{ width: 150 }}
            placeholder="全部班级"
            aria-label="班级"
            value={filter.classId}
            onChange={(v) => setFilterPart({ classId: v })}
            options={classes.map((c) => ({ value: c.id, label: c.name }))}
            notFoundContent="暂无班级"
          />
          <Input.Search
            allowClear
            style={{ width: 260 }}
            placeholder="姓名、证件号码或手机号"
            aria-label="搜索考生"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            onSearch={(v) => setFilterPart({ q: v.trim() || undefined })}
          />
        </Space>

        {list.error !== undefined && (
          <Alert type="error" showIcon style={{ marginBottom: 16 }} message={`加载考生失败：${errorMessage(list.error)}`} action={<Button onClick={list.reload}>重试</Button>} />
        )}
        <Table<Candidate>
          data-testid="candidates-table"
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={list.data?.rows ?? []}
          loading={list.refreshing}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: '暂无考生，请下载模板填写后导入' }}
          pagination={pagination(list.data?.total ?? 0, (total) => `共 ${total} 名考生`)}
        />
      </Card>
      <EditDrawer
        candidate={editing}
        options={opts}
        onClose={() => setEditing(null)}
        onSaved={(c) => {
          setEditing(c);
          list.reload();
        }}
      />
    </>
  );
}

interface EditValues {
  name: string;
  gender?: '男' | '女';
  idType: string;
  idNumber: string;
  phone?: string;
  majorId?: string;
  classId?: string;
}

function EditDrawer({ candidate, options, onClose, onSaved }: { candidate: Candidate | null; options: ScopeOptions | undefined; onClose: () => void; onSaved: (c: Candidate) => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<EditValues>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [photoUrl, setPhotoUrl] = useState<string | null>(null);
  const [photoBusy, setPhotoBusy] = useState(false);
  const [photoTick, setPhotoTick] = useState(0);
  const majorId = Form.useWatch('majorId', form);

  useEffect(() => setError(null), [candidate?.id]);

  useEffect(() => {
    if (!candidate?.hasPhoto) {
      setPhotoUrl(null);
      return;
    }
    let url: string | null = null;
    let cancelled = false;
    registrationApi.photoUrl(candidate.id).then(
      (u) => {
        if (cancelled) URL.revokeObjectURL(u);
        else setPhotoUrl((url = u));
      },
      () => setPhotoUrl(null),
    );
    return () => {
      cancelled = true;
      if (url) URL.revokeObjectURL(url);
    };
  }, [candidate?.id, candidate?.hasPhoto, photoTick]);

  const majors = useMemo(() => (options?.majors ?? []).filter((m) => m.institutionId === candidate?.institutionId), [options, candidate?.institutionId]);
  const classes = useMemo(
    () => (options?.classes ?? []).filter((c) => c.institutionId === candidate?.institutionId && (!majorId || !c.majorId || c.majorId === majorId)),
    [options, candidate?.institutionId, majorId],
  );

  async function save() {
    if (!candidate) return;
    let v: EditValues;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    const patch: CandidatePatch = {};
    if (v.name !== candidate.name) patch.name = v.name;
    if (v.gender && v.gender !== candidate.gender) patch.gender = v.gender;
    if ((v.phone || null) !== candidate.phone) patch.phone = v.phone || null;
    if ((v.majorId ?? null) !== candidate.majorId) patch.majorId = v.majorId ?? null;
    if ((v.classId ?? null) !== candidate.classId) patch.classId = v.classId ?? null;
    if (v.idType !== candidate.idType) patch.idType = v.idType;
    if (v.idNumber.trim().toUpperCase() !== candidate.idNumber) patch.idNumber = v.idNumber.trim().toUpperCase();
    if (Object.keys(patch).length === 0) {
      onClose();
      return;
    }
    setSaving(true);
    setError(null);
    try {
      const saved = await registrationApi.updateCandidate(candidate.id, patch);
      void message.success('已保存');
      onSaved(saved);
      onClose();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setSaving(false);
    }
  }

  async function uploadPhoto(file: File) {
    if (!candidate) return;
    if (!/\.(jpe?g|png)$/i.test(file.name)) {
      void message.error('照片应为 JPG 或 PNG 图片');
      return;
    }
    if (file.size > PHOTO_MAX) {
      void message.error(`照片不能超过 200 KB（当前 ${Math.ceil(file.size / 1024)} KB）`);
      return;
    }
    setPhotoBusy(true);
    try {
      await registrationApi.uploadPhoto(candidate.id, file);
      void message.success('照片已上传');
      onSaved({ ...candidate, hasPhoto: true });
      setPhotoTick((t) => t + 1);
    } catch (err) {
      void message.error(`上传失败：${errorMessage(err)}`);
    } finally {
      setPhotoBusy(false);
    }
  }

  return (
    <Drawer
      title={candidate ? `编辑考生：${candidate.name}` : '编辑考生'}
      open={candidate !== null}
      onClose={onClose}
      width={480}
      extra={
        <Space>
          <Button onClick={onClose}>取消</Button>
          <Button type="primary" loading={saving} onClick={() => void save()}>
            保存
          </Button>
        </Space>
      }
    >
      {candidate && (
        <>
          <div style={{ display: 'flex', gap: 16, alignItems: 'flex-end', marginBottom: 24 }}>
            <div
              style={{ width: 96, height: 128, border: '1px solid #d9d9d9', borderRadius: 4, display: 'flex', alignItems: 'center', justifyContent: 'center', overflow: 'hidden', background: '#fafafa' }}
              data-testid="candidate-photo"
            >
              {photoUrl ? <img src={photoUrl} alt={`${candidate.name}的照片`} style={{ width: '100%', height: '100%', objectFit: 'cover' }} /> : <Typography.Text type="secondary">暂无照片</Typography.Text>}
            </div>
            <Space direction="vertical" size={4}>
              <Upload
                accept=".jpg,.jpeg,.png"
                showUploadList={false}
                beforeUpload={(file) => {
                  void uploadPhoto(file);
                  return false;
                }}
              >
                <Button loading={photoBusy}>{candidate.hasPhoto ? '更换照片' : '上传照片'}</Button>
              </Upload>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                JPG 或 PNG，不超过 200 KB
              </Typography.Text>
            </Space>
          </div>
          {error && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={error} />}
          <Form
            key={candidate.id}
            form={form}
            layout="vertical"
            initialValues={{
              name: candidate.name,
              gender: candidate.gender ?? undefined,
              idType: candidate.idType,
              idNumber: candidate.idNumber,
              phone: candidate.phone ?? undefined,
              majorId: candidate.majorId ?? undefined,
              classId: candidate.classId ?? undefined,
            }}
          >
            <Form.Item label="姓名" name="name" rules={[{ required: true, whitespace: true, message: '请填写姓名' }, { max: 50, message: '姓名不能超过 50 个字' }]}>
              <Input />
            </Form.Item>
            <Form.Item label="性别" name="gender">
              <Radio.Group options={['男', '女']} />
            </Form.Item>
            <Space.Compact block>
              <Form.Item label="证件类型" name="idType" style={{ width: 200 }}>
                <Select options={Object.entries(ID_TYPE_LABELS).map(([value, label]) => ({ value, label }))} />
              </Form.Item>
              <Form.Item label="证件号码" name="idNumber" style={{ flex: 1 }} rules={[{ required: true, whitespace: true, message: '请填写证件号码' }]}>
                <Input style={{ fontFamily: 'monospace' }} />
              </Form.Item>
            </Space.Compact>
            <Form.Item label="手机号" name="phone" rules={[{ pattern: /^1\d{10}$/, message: '手机号应为 11 位数字，以 1 开头' }]}>
              <Input maxLength={11} />
            </Form.Item>
            <Form.Item label="专业" name="majorId">
              <Select allowClear placeholder="未指定" options={majors.map((m) => ({ value: m.id, label: m.name }))} onChange={() => form.setFieldValue('classId', undefined)} />
            </Form.Item>
            <Form.Item label="班级" name="classId">
              <Select allowClear placeholder="未指定" options={classes.map((c) => ({ value: c.id, label: c.name }))} />
            </Form.Item>
          </Form>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            院校：{candidate.institutionName ?? '—'}　导入时间：{formatDateTime(candidate.createdAt)}
          </Typography.Text>
          {candidate.registration && (
            <Alert
              style={{ marginTop: 16 }}
              type="info"
              showIcon
              message={`已报考：${candidate.registration.planName}（${LEVEL_LABELS[candidate.registration.level]}），准考证号 ${candidate.registration.ticketNo}`}
              description={candidate.registration.roomName ? `考场 ${candidate.registration.roomName}，座位 ${candidate.registration.seatNo ?? '—'}` : undefined}
            />
          )}
        </>
      )}
    </Drawer>
  );
}
