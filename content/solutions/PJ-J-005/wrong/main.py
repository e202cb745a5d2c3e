# 常见错误：只去掉了连字符，没有去掉号码中间的空格
n = int(input())
for i in range(n):
    line = input()
    name, phone = line.split(',')
    phone = phone.strip().replace('-', '')
    if len(phone) == 11 and phone.isdigit() and phone[0] == '1':
        shown = phone[:3] + '****' + phone[7:]
    else:
        shown = '无效'
    print('姓名：' + name.strip() + '，手机：' + shown)
