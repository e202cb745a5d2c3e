/**
 * Printing benchmark: how long the admission tickets (准考证) of a big site take.
 *
 *   npx tsx bench/print.ts [--tickets 1000] [--photo] [--out /tmp/tickets.pdf]
 *
 * Renders N tickets (two sittings each, distinct names, ID numbers and ticket
 * numbers) into one PDF in one process, font loading included, and prints one
 * JSON object on stdout: {tickets, ms, cpuMs, bytes, pagesPerSecond, bytesPerTicket}
 * (cpuMs: this process's CPU time, which a busy machine disturbs less than ms).
 * --photo gives every ticket its own 1-inch JPEG photo (made once with
 * pdftoppm, about 13 KB, copied per ticket so nothing is shared).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import PDFDocument from 'pdfkit';
import { renderTickets, type TicketData } from '../packages/server/src/modules/printing/index.ts';

const { values } = parseArgs({
  options: { tickets: { type: 'string', default: '1000' }, photo: { type: 'boolean', default: false }, out: { type: 'string' } },
});
const n = Number(values.tickets);

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬鹏辉宇浩凯健俊帆帅旭宁龙林欣怡佳琪梓涵子轩雨泽思远博文';

async function jpegPhoto(): Promise<Buffer> {
  // A small portrait drawn with pdfkit and turned into a JPEG by poppler.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaowu-photo-'));
  const doc = new PDFDocument({ size: [72, 100.8], margin: 0 });
  const file = path.join(dir, 'p.pdf');
  const out = fs.createWriteStream(file);
  doc.pipe(out);
  doc.rect(0, 0, 72, 100.8).fill('#4a86c8');
  doc.circle(36, 38, 17).fill('#ecc8aa');
  doc.ellipse(36, 108, 34, 42).fill('#283250');
  doc.end();
  await finished(out);
  execFileSync('pdftoppm', ['-r', '250', '-jpeg', '-singlefile', file, path.join(dir, 'p')]);
  const buf = fs.readFileSync(path.join(dir, 'p.jpg'));
  fs.rmSync(dir, { recursive: true, force: true });
  return buf;
}

const photo = values.photo ? await jpegPhoto() : undefined;
const tickets: TicketData[] = Array.from({ length: n }, (_, i) => {
  const room = Math.floor(i / 40) + 1;
  return {
    ticketNo: `2406${String(1001).padStart(4, '0')}1${String(i + 1).padStart(5, '0')}`,
    name: SURNAMES[i % SURNAMES.length]! + GIVEN[(i * 7) % GIVEN.length]! + (i % 3 ? GIVEN[(i * 13) % GIVEN.length]! : ''),
    gender: i % 2 ? '女' : '男',
    idType: '居民身份证',
    idNumber: `4301042003${String((i % 12) + 1).padStart(2, '0')}${String((i % 28) + 1).padStart(2, '0')}${String(i % 1000).padStart(3, '0')}${i % 10}`,
    photo: photo ? Buffer.from(photo) : undefined,
    institutionName: '湖南信息职业技术学院',
    certificateName: 'Python 程序开发',
    level: (['初级', '中级', '高级'] as const)[i % 3]!,
    siteName: '湖南信息职业技术学院考核站点',
    siteAddress: '湖南省长沙市望城区旺旺东路 8 号',
    roomName: `第 ${String(room).padStart(2, '0')} 考场`,
    roomLocation: `实训楼 B 座 ${300 + room} 机房`,
    seatNo: String((i % 40) + 1).padStart(2, '0'),
    sittings: [
      { name: '理论考试', startsAt: '2024-06-15T00:30:00Z', endsAt: '2024-06-15T02:00:00Z' },
      { name: '实操考试', startsAt: '2024-06-15T02:10:00Z', endsAt: '2024-06-15T04:10:00Z' },
    ],
  };
});

const t0 = performance.now();
const cpu0 = process.cpuUsage();
const pdf = await renderTickets(tickets);
const ms = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
if (values.out) fs.writeFileSync(values.out, pdf);
console.log(
  JSON.stringify({
    tickets: n,
    photo: Boolean(photo),
    ms: Math.round(ms),
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    loadAverage: Number((os.loadavg()[0] ?? 0).toFixed(2)),
    bytes: pdf.length,
    pagesPerSecond: Math.round((n / ms) * 1000),
    bytesPerTicket: Math.round(pdf.length / n),
  }),
);
