# 常见错误：把 [总分, 姓名, 平均分] 整体降序排序，总分相同时按姓名倒序，而不是保持原来的顺序
def make_report(src, dst):
    f = open(src, encoding='utf-8')
    lines = f.read().splitlines()
    f.close()
    data = []
    for line in lines[1:]:
        if line.strip() == '':
            continue
        parts = line.split(',')
        scores = [int(x) for x in parts[1:]]
        total = sum(scores)
        data.append([total, parts[0], total / len(scores)])
    data.sort(reverse=True)
    out = open(dst, 'w', encoding='utf-8')
    for total, name, avg in data:
        out.write('%s %d %.1f\n' % (name, total, avg))
    out.write('最高分：' + data[0][1] + ' ' + str(data[0][0]) + '\n')
    out.close()


make_report('scores.csv', 'report.txt')
print('已生成 report.txt')
