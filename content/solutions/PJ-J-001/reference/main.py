def grade(score):
    if score >= 90:
        return '优秀'
    if score >= 80:
        return '良好'
    if score >= 60:
        return '及格'
    return '不及格'


n = int(input())
scores = [int(input()) for _ in range(n)]
for s in scores:
    print(s, grade(s))
print(f'平均分：{sum(scores) / n:.1f}')
