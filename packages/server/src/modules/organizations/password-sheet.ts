import { newWorkbook, workbookBuffer, writeTable } from '../sheets/index.ts';

export interface InitialPasswordLine {
  studentNo: string;
  name: string;
  username: string;
  password: string;
}

/** 初始密码 list of newly created student accounts (.xlsx), handed to the teacher once. */
export async function initialPasswordSheet(opts: { institutionName: string; className: string; lines: readonly InitialPasswordLine[] }): Promise<Buffer> {
  const wb = newWorkbook();
  const ws = wb.addWorksheet('初始密码', { pageSetup: { orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  ws.mergeCells(1, 1, 1, 5);
  ws.getCell(1, 1).value = `${opts.institutionName} ${opts.className} 模拟练习账号初始密码（请学生首次登录后修改密码，妥善保管本表）`;
  ws.getCell(1, 1).font = { bold: true, size: 12 };
  writeTable(
    ws,
    [
      { header: '序号', width: 6 },
      { header: '学号', width: 18, text: true },
      { header: '姓名', width: 12 },
      { header: '登录账号', width: 24, text: true },
      { header: '初始密码', width: 14, text: true },
    ],
    opts.lines.map((l, i) => [i + 1, l.studentNo, l.name, l.username, l.password]),
    { startRow: 2 },
  );
  return workbookBuffer(wb);
}
