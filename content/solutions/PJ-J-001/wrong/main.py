# 常见错误：边界写成了大于号，90、80、60 分被判低了一档
n = int(input())
scores = []
for i in range(n):
    scores.append(int(input()))
for s in scores:
    if s > 90:
        level = '优秀'
    elif s > 80:
        level = '良好'
    elif s > 60:
        level = '及格'
    else:
        level = '不及格'
    print(s, level)
print('平均分：%.1f' % (sum(scores) / n))
