// One 考核站点: its status and 考务协议, the manual's warnings, and its rooms
// (考场) with add / edit / delete. Warnings inform and never block: each
// room's are shown under it as Alerts.

import { useEffect, useState, type Key } from 'react';
import { Alert, App, Button, Card, Descriptions, Popconfirm, Result, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { ApiError, errorMessage } from '../../api';
import { useLoader } from '../../hooks';
import { formatDateTime, seatLayoutLabel } from '../../format';
import { href } from '../../router';
import { sitesApi, type Room, type SiteDetail } from '../../admin/sites';
import { AgreementSelect, AgreementTag, ReviewActions, RoomFormModal, SiteStatusTag } from './site-parts';
import { EnvCheckCard } from '../../components/EnvCheckCard';

/** antd's column of expand icons (rooms with warnings open their list). */
const EXPAND_COLUMN_WIDTH = 48;

export function SitePage({ siteId }: { siteId: string }) {
  const loaded = useLoader((signal) => sitesApi.site(siteId, signal), [siteId]);
  const [fresh, setFresh] = useState<SiteDetail | null>(null);
  useEffect(() => setFresh(null), [loaded.data]);
  const detail = fresh ?? loaded.data;

  if (loaded.error instanceof ApiError && loaded.error.status === 404) {
    return (
      <Result
        status="404"
        title="考核站点不存在或无权访问"
        extra={
          <Button type="primary" href={href({ name: 'sites' })}>
            返回考核站点
          </Button>
        }
      />
    );
  }
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      {loaded.error !== undefined && <Alert type="error" showIcon message={`加载失败：${errorMessage(loaded.error)}`} action={<Button onClick={loaded.reload}>重试</Button>} />}
      {!detail && loaded.loading && <Card loading />}
      {detail && <SiteHeader detail={detail} onChanged={setFresh} />}
      {detail && <Rooms detail={detail} onChanged={setFresh} />}
      {detail && <EnvCheckCard siteId={detail.site.id} />}
    </Space>
  );
}

function SiteHeader({ detail, onChanged }: { detail: SiteDetail; onChanged: (d: SiteDetail) => void }) {
  const { site } = detail;
  return (
    <Card
      title={
        <Space wrap>
          <a href={href({ name: 'sites' })}>考核站点</a>
          <Typography.Text type="secondary">/</Typography.Text>
          <span data-testid="site-title">{site.name}</span>
          <SiteStatusTag site={site} />
          <AgreementTag status={site.agreementStatus} />
        </Space>
      }
      extra={detail.permissions.review && <ReviewActions site={site} onChanged={onChanged} size="middle" />}
    >
      <Descriptions column={3} size="small">
        <Descriptions.Item label="站点代码">{site.code}</Descriptions.Item>
        <Descriptions.Item label="院校">
          {site.institution.name}（{site.institution.code}）
        </Descriptions.Item>
        <Descriptions.Item label="联系人">
          {site.contactName} {site.contactPhone}
        </Descriptions.Item>
        <Descriptions.Item label="地址" span={2}>
          {site.address}
        </Descriptions.Item>
        <Descriptions.Item label="申请">
          {formatDateTime(site.createdAt).slice(0, 16)} {site.createdBy}
        </Descriptions.Item>
        {site.reviewNote && (
          <Descriptions.Item label={site.status === 'rejected' ? '未通过原因' : '审核备注'} span={3}>
            {site.reviewNote}
          </Descriptions.Item>
        )}
        {detail.permissions.review && (
          <Descriptions.Item label="考务协议" span={3}>
            <AgreementSelect site={site} onChanged={onChanged} />
          </Descriptions.Item>
        )}
      </Descriptions>
      {detail.warnings.length > 0 && (
        <Space direction="vertical" style={{ width: '100%', marginTop: 12 }} data-testid="site-warnings">
          {detail.warnings.map((w) => (
            <Alert key={w.code + w.message} type={w.code === 'SITE_NOT_ENABLED' && site.status !== 'pending' ? 'error' : 'warning'} showIcon message={w.message} />
          ))}
        </Space>
      )}
    </Card>
  );
}

function Rooms({ detail, onChanged }: { detail: SiteDetail; onChanged: (d: SiteDetail) => void }) {
  const { message } = App.useApp();
  const [editing, setEditing] = useState<Room | null>(null);
  const [formOpen, setFormOpen] = useState(false);
  const [deleting, setDeleting] = useState<string | null>(null);
  const siteId = detail.site.id;
  const canEdit = detail.permissions.editRooms;
  const withWarnings = detail.rooms.filter((r) => r.warnings.length > 0).map((r) => r.id);
  const [expanded, setExpanded] = useState<readonly Key[]>(withWarnings);
  const warningKey = withWarnings.join(',');
  useEffect(() => setExpanded(warningKey ? warningKey.split(',') : []), [warningKey]);

  const remove = async (room: Room) => {
    setDeleting(room.id);
    try {
      onChanged(await sitesApi.deleteRoom(siteId, room.id));
      void message.success(`已删除考场“${room.name}”`);
    } catch (err) {
      void message.error(errorMessage(err));
    } finally {
      setDeleting(null);
    }
  };

  const totalSeats = detail.rooms.reduce((s, r) => s + r.seats, 0);
  const columns: TableColumnsType<Room> = [
    {
      title: '考场',
      key: 'name',
      width: 150,
      render: (_, r) => (
        <div>
          <Typography.Text strong>{r.name}</Typography.Text>
          <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
            {r.roomType} · {r.location}
          </Typography.Text>
        </div>
      ),
    },
    {
      title: '考位',
      key: 'seats',
      width: 110,
      render: (_, r) => (
        <div data-testid="room-seats-cell">
          <span>{r.seats} 座</span>
          <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
            {seatLayoutLabel(r.seats, r.seatsPerRow)}
          </Typography.Text>
        </div>
      ),
    },
    { title: '备用机', dataIndex: 'spareMachines', key: 'spares', width: 72, align: 'right' },
    {
      title: '考生机 IP 范围',
      key: 'ips',
      width: 140,
      render: (_, r) =>
        r.ipRanges.length ? (
          <Space size={[4, 4]} wrap>
            {r.ipRanges.map((ip) => (
              <Tag key={ip} style={{ fontFamily: 'monospace', marginInlineEnd: 0 }}>
                {ip}
              </Tag>
            ))}
          </Space>
        ) : (
          <Typography.Text type="secondary">未设置</Typography.Text>
        ),
    },
    {
      title: '登录限制',
      key: 'restrictSignIn',
      width: 96,
      render: (_, r) =>
        r.restrictSignIn ? (
          <Tag color={r.ipRanges.length ? 'blue' : 'warning'} data-testid="room-restricted">
            {r.ipRanges.length ? '仅本考场 IP' : '未设 IP，不限制'}
          </Tag>
        ) : (
          <Typography.Text type="secondary">不限制</Typography.Text>
        ),
    },
    ...(detail.plan
      ? ([
          { title: '已编排', key: 'placed', width: 76, align: 'right', render: (_: unknown, r: Room) => `${r.placed} 人` },
          { title: '监考员', key: 'proctors', width: 76, align: 'right', render: (_: unknown, r: Room) => (r.proctors === null ? '—' : `${r.proctors} 名`) },
        ] as TableColumnsType<Room>)
      : []),
    {
      title: '提示',
      key: 'warnings',
      width: 104,
      render: (_, r) => (r.warnings.length ? <Tag color="warning">{r.warnings.length} 条</Tag> : <Tag color="success">符合要求</Tag>),
    },
    ...(canEdit
      ? ([
          {
            title: '操作',
            key: 'actions',
            width: 100,
            fixed: 'right',
            render: (_: unknown, r: Room) => (
              <Space size={4}>
                <Button
                  size="small"
                  type="link"
                  onClick={() => {
                    setEditing(r);
                    setFormOpen(true);
                  }}
                >
                  修改
                </Button>
                <Popconfirm title={`删除考场“${r.name}”？`} description="已有考场编排的考场不能删除。" okText="删除" okButtonProps={{ danger: true }} cancelText="取消" onConfirm={() => remove(r)}>
                  <Button size="small" type="link" danger loading={deleting === r.id}>
                    删除
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ] as TableColumnsType<Room>)
      : []),
  ];

  return (
    <Card
      title={
        <Space>
          <span>考场管理</span>
          <Typography.Text type="secondary" style={{ fontWeight: 'normal', fontSize: 13 }}>
            {detail.rooms.length} 个考场，共 {totalSeats} 个考位
          </Typography.Text>
        </Space>
      }
      extra={
        canEdit && (
          <Button
            type="primary"
            onClick={() => {
              setEditing(null);
              setFormOpen(true);
            }}
            data-testid="add-room"
          >
            新增考场
          </Button>
        )
      }
    >
      {detail.plan && (
        <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
          编排人数与监考员按“{detail.plan.name}”（{detail.plan.examDate}）统计。
        </Typography.Paragraph>
      )}
      <Table<Room>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={detail.rooms}
        pagination={false}
        // The columns' widths and the expand icon's column: below that the table scrolls rather than squeezing a column.
        scroll={{ x: columns.reduce((w, c) => w + Number(c.width ?? 0), EXPAND_COLUMN_WIDTH) }}
        locale={{ emptyText: canEdit ? '尚未设置考场，请点击“新增考场”' : '尚未设置考场' }}
        expandable={{
          expandedRowKeys: expanded,
          onExpandedRowsChange: setExpanded,
          rowExpandable: (r) => r.warnings.length > 0,
          expandedRowRender: (r) => (
            <Space direction="vertical" style={{ width: '100%' }} data-testid="room-warnings">
              {r.warnings.map((w) => (
                <Alert key={w.code} type="warning" showIcon message={w.message} />
              ))}
            </Space>
          ),
        }}
        data-testid="rooms-table"
      />
      <RoomFormModal
        siteId={siteId}
        room={editing}
        open={formOpen}
        onClose={() => setFormOpen(false)}
        onSaved={(d) => {
          setFormOpen(false);
          onChanged(d);
          void message.success(editing ? '考场已保存' : '考场已添加');
        }}
      />
    </Card>
  );
}
