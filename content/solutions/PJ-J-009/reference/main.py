import csv


def make_report(src, dst):
    """读取成绩表 src，把成绩报告写入 dst。"""
    with open(src, encoding='utf-8', newline='') as f:
        reader = csv.reader(f)
        next(reader)  # 表头
        rows = []
        for row in reader:
            if not row:
                continue
            name, *scores = row
            scores = [int(s) for s in scores]
            rows.append((name, sum(scores), sum(scores) / len(scores)))
    rows.sort(key=lambda r: -r[1])  # sort 是稳定的：总分相同保持原来的顺序
    with open(dst, 'w', encoding='utf-8') as f:
        for name, total, avg in rows:
            f.write(f'{name} {total} {avg:.1f}\n')
        f.write(f'最高分：{rows[0][0]} {rows[0][1]}\n')


if __name__ == '__main__':
    make_report('scores.csv', 'report.txt')
    print('已生成 report.txt')
