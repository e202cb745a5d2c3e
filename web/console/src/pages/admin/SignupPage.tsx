// Placeholder until this page is built.
import { Result } from 'antd';

export function SignupPage() {
  return <Result status="info" title="Signup" subTitle={<span></span>} />;
}
