def mask(phone):
    digits = phone.replace(' ', '').replace('-', '')
    if len(digits) == 11 and digits.isdigit() and digits.startswith('1'):
        return digits[:3] + '****' + digits[-4:]
    return '无效'


n = int(input())
for _ in range(n):
    name, phone = input().split(',', 1)
    print(f'姓名：{name.strip()}，手机：{mask(phone.strip())}')
