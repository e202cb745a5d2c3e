/**
 * The usage text of the 考务 batch commands: here, apart from the commands,
 * so that main.ts shows it without loading their services (each command
 * module is imported only when it runs).
 */

export const CANDIDATES_USAGE = `  candidates template --as <用户名> --out <文件.xlsx>
                         下载考生信息导入模板（含该账号可选的院校、专业与班级）
  candidates import <文件.xlsx> --as <用户名>
                         批量导入考生（全部成功或全部不导入，逐行列出错误）
  candidates export --as <用户名> --out <文件.xlsx> [筛选]
                         导出考生名单（含报考、准考证号、站点、考场与座位）
      --plan P                  显示该考试计划的报考（默认：最近一次报考）
      --institution I           只导出该院校（院校 id 或院校代码）
      --major M                 只导出该专业（专业 id 或名称）
      --class C                 只导出该班级（班级 id 或名称）
      --q TEXT                  姓名的一部分、证件号码的开头或手机号`;

export const REGISTER_USAGE = `  register --plan <计划> --site <站点> --level <等级> --ids <文件> --as <用户名>
                         批量报考（全部成功或全部不报考；同一考试计划每名考生只能报考一个等级）
      --level L                 junior | intermediate | advanced
      --ids F                   考生的证件号码：文本文件每行一个（空行和表头“证件号码”忽略），或 .xlsx 第一个工作表的第一列`;

export const ARRANGE_USAGE = `  arrange --plan <计划> --site <站点> --as <用户名> [--every-other-seat | --all-seats] [--publish]
                         编排考场（已发布的编排保留每个座位），列出未安排座位的考生
      --every-other-seat        隔位就座；--all-seats 取消隔位（默认：沿用上次的设置）
      --publish                 编排后发布（仍有考生未安排座位时不能发布）`;

export const PROCTORS_USAGE = `  proctors assign --plan <计划> --site <站点> --as <用户名>
                         自动安排监考员（每 40 名考生 2 名，回避本专业教师、班主任与辅导员），列出各考场监考员与回避情况`;

export const SETTLEMENT_USAGE = `  settlement export --plan <计划> [--site <站点>] --as <用户名> --out <文件.xlsx>
                         导出考务费结算单（.xlsx，每个考核站点一份）
      --site S                  只导出该站点（默认：该账号可见的、本计划有报考的每个站点；多于一个时文件名后加站点代码）`;
