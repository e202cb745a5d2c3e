// The welcome page of accounts whose work is not in the console menu
// (students practise on the mock platform). A proctor's home is their rooms
// and sittings (我的监考), today first.
import { Result } from 'antd';
import { roleLabel } from '../access';
import type { StaffUser } from '../types';
import { MyRooms } from './proctor/MyRoomsPage';

const WHAT_NEXT: Record<string, string> = {
  student: '模拟练习将在开放后显示在这里。考试当天请使用考生端，凭准考证号和证件号码登录。',
};

export function HomePage({ user }: { user: StaffUser }) {
  if (user.role === 'proctor') return <MyRooms embedded />;
  return (
    <Result
      status="info"
      title={`欢迎，${user.displayName}`}
      subTitle={`${roleLabel(user.role)}。${WHAT_NEXT[user.role] ?? '您的账号暂无可用的功能，请联系管理员。'}`}
    />
  );
}
