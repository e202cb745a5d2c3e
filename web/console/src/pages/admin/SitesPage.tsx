// Placeholder until this page is built.
import { Result } from 'antd';

export function SitesPage() {
  return <Result status="info" title="Sites" subTitle={<span></span>} />;
}
