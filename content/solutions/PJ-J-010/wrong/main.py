# 常见错误：没有排除库存为 0（data-stock="0"）的缺货图书
from lxml import etree

category = input().strip()
html = etree.HTML(open('page.html', encoding='utf-8').read())
books = html.xpath('//div[@class="book"]')
result = []
for b in books:
    if category != '全部' and b.get('data-category') != category:
        continue
    title = b.xpath('.//h3/a/text()')[0]
    author = b.xpath('.//p[@class="author"]/text()')[0].replace('作者：', '')
    price = float(b.xpath('.//p[@class="price"]/text()')[0].replace('¥', ''))
    result.append((price, title, author))
result.sort()
if len(result) == 0:
    print('没有找到该分类的图书')
else:
    for price, title, author in result:
        print(title, '|', author, '|', '%.2f' % price)
    avg = sum([r[0] for r in result]) / len(result)
    print('共 %d 本，平均价格 %.2f' % (len(result), avg))
