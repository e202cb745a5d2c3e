// Placeholder until this page is built.
import { Result } from 'antd';

export function InvitePage({ token }: { token: string }) {
  return <Result status="info" title="Invite" subTitle={<span>{token.length}</span>} />;
}
