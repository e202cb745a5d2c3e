// Placeholder until this page is built.
import { Result } from 'antd';

export function RegistrationsPage() {
  return <Result status="info" title="Registrations" subTitle={<span></span>} />;
}
