import type { SitesTable } from '../../db/tables/administration.ts';

/** The words the console shows for a site's states (the manual's: “审核通过已启用”). */
export const SITE_STATUS_NAMES: Record<SitesTable['status'], string> = {
  pending: '审核中',
  enabled: '审核通过已启用',
  rejected: '未通过审核',
  disabled: '已停用',
};

/** Room types offered (part 5: 考场类型选择“机考”). */
export const ROOM_TYPES = ['机考'] as const;
