// Placeholder until this page is built.
import { Result } from 'antd';

export function AuditPage() {
  return <Result status="info" title="Audit" subTitle={<span></span>} />;
}
