// Placeholder until this page is built.
import { Result } from 'antd';

export function ArrangementPage() {
  return <Result status="info" title="Arrangement" subTitle={<span></span>} />;
}
