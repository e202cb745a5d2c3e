# 常见错误：满 200 元的条件写成了大于 200，正好 200 元时没有打折
n = int(input())
print('{:<8}{:>8}{:>6}{:>10}'.format('商品', '单价', '数量', '小计'))
total = 0
for i in range(n):
    name, price, qty = input().split()
    subtotal = float(price) * int(qty)
    total = total + subtotal
    print('{:<8}{:>8.2f}{:>6}{:>10.2f}'.format(name, float(price), int(qty), subtotal))
if total > 200:
    discount = total * 0.1
else:
    discount = 0
print('合计：%.2f 元' % total)
print('优惠：%.2f 元' % discount)
print('应付：%.2f 元' % (total - discount))
