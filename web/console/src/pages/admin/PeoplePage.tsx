// Placeholder until this page is built.
import { Result } from 'antd';

export function PeoplePage() {
  return <Result status="info" title="People" subTitle={<span></span>} />;
}
