// Placeholder until this page is built.
import { Result } from 'antd';

export function CandidatesPage() {
  return <Result status="info" title="Candidates" subTitle={<span></span>} />;
}
