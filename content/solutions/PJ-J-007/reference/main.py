n = int(input())
print(f"{'商品':<8}{'单价':>8}{'数量':>6}{'小计':>10}")
total = 0
for _ in range(n):
    name, price, qty = input().split()
    price = float(price)
    qty = int(qty)
    subtotal = price * qty
    total += subtotal
    print(f'{name:<8}{price:>8.2f}{qty:>6}{subtotal:>10.2f}')
discount = total * 0.1 if total >= 200 else 0
print(f'合计：{total:.2f} 元')
print(f'优惠：{discount:.2f} 元')
print(f'应付：{total - discount:.2f} 元')
