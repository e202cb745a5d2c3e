from lxml import etree

category = input().strip()
with open('page.html', encoding='utf-8') as f:
    tree = etree.HTML(f.read())

if category == '全部':
    books = tree.xpath('//div[@class="book"][@data-stock != "0"]')
else:
    books = tree.xpath('//div[@class="book"][@data-category=$c][@data-stock != "0"]', c=category)

rows = []
for book in books:
    title = book.xpath('string(.//h3[@class="title"]/a)').strip()
    author = book.xpath('string(.//p[@class="author"])').strip().removeprefix('作者：')
    price = float(book.xpath('string(.//p[@class="price"])').strip().lstrip('¥'))
    rows.append((price, title, author))

if not rows:
    print('没有找到该分类的图书')
else:
    rows.sort(key=lambda r: r[0])
    for price, title, author in rows:
        print(f'{title} | {author} | {price:.2f}')
    print(f'共 {len(rows)} 本，平均价格 {sum(r[0] for r in rows) / len(rows):.2f}')
