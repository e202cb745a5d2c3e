// 人员与班级. The coordinator keeps teachers, majors and classes (and may log in
// as a teacher); the institution admin reads them; a teacher imports student
// accounts (学生账号) from the template.

import { Card, Tabs } from 'antd';
import { getUser } from '../../session';
import { TeachersTab } from './people/TeachersTab';
import { MajorsTab } from './people/MajorsTab';
import { ClassesTab } from './people/ClassesTab';
import { StudentsTab } from './people/StudentsTab';

export function PeoplePage() {
  const user = getUser();
  const role = user?.role ?? '';
  const canEdit = role === 'coordinator';
  const canImport = role === 'coordinator' || role === 'teacher';
  const items = [
    ...(role === 'teacher' ? [] : [
      { key: 'teachers', label: '教师', children: <TeachersTab canEdit={canEdit} /> },
      { key: 'majors', label: '专业', children: <MajorsTab canEdit={canEdit} /> },
      { key: 'classes', label: '班级', children: <ClassesTab canEdit={canEdit} /> },
    ]),
    { key: 'students', label: '学生账号', children: <StudentsTab canImport={canImport} /> },
  ];
  return (
    <Card title={role === 'teacher' ? '学生管理' : '人员与班级'} styles={{ body: { paddingTop: 8 } }}>
      <Tabs key={user?.id ?? ""} items={items} destroyOnHidden />
    </Card>
  );
}
