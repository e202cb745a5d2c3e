# 常见错误：没有排除 1，1 被当成了素数
a, b = map(int, input().split())
result = []
for n in range(a, b + 1):
    prime = True
    for d in range(2, n):
        if n % d == 0:
            prime = False
            break
    if prime:
        result.append(str(n))
if result:
    print(' '.join(result))
else:
    print('无')
print('共', len(result), '个')
