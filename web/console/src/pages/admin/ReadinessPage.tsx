// Placeholder until this page is built.
import { Result } from 'antd';

export function ReadinessPage() {
  return <Result status="info" title="Readiness" subTitle={<span></span>} />;
}
