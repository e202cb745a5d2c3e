// Placeholder until this page is built.
import { Result } from 'antd';

export function SitePage({ siteId }: { siteId: string }) {
  return <Result status="info" title="Site" subTitle={<span>{siteId}</span>} />;
}
