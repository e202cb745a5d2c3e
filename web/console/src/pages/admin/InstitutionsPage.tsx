// Placeholder until this page is built.
import { Result } from 'antd';

export function InstitutionsPage() {
  return <Result status="info" title="Institutions" subTitle={<span></span>} />;
}
