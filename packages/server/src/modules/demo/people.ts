import { makeIdNumber } from '@kaowu/core';

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = '伟芳娜秀敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏飞辉建宇浩然子轩欣怡梓涵思远雨萱一诺佳琪晨阳俊熙嘉怡博文宇航心怡可馨诗涵';
// A few real region codes (Beijing, Shanghai, Guangzhou, Hangzhou, Chengdu, Wuhan).
const REGIONS = ['110101', '310104', '440106', '330106', '510107', '420102'];

export interface DemoPerson {
  name: string;
  idNumber: string;
}

/** Made-up people with valid ID numbers, different on every call. */
export function demoPeople(n: number, random: () => number = Math.random): DemoPerson[] {
  const pick = (s: string) => s[Math.floor(random() * s.length)]!;
  const out: DemoPerson[] = [];
  const seen = new Set<string>();
  while (out.length < n) {
    const name = pick(SURNAMES) + pick(GIVEN) + (random() < 0.6 ? pick(GIVEN) : '');
    const birth = { y: 2000 + Math.floor(random() * 6), m: 1 + Math.floor(random() * 12), d: 1 + Math.floor(random() * 28) };
    const idNumber = makeIdNumber(REGIONS[Math.floor(random() * REGIONS.length)]!, birth, Math.floor(random() * 1000));
    if (seen.has(idNumber)) continue;
    seen.add(idNumber);
    out.push({ name, idNumber });
  }
  return out;
}
