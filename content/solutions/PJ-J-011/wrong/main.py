# 常见错误：直接 int()/float() 单元格文字，带千位分隔符或空白的数字会出错
import json
from lxml import etree


def parse_table(html_text):
    tree = etree.HTML(html_text)
    rows = []
    for tr in tree.xpath('//table[@id="cities"]//tr')[1:]:
        tds = tr.xpath('./td/text()')
        rows.append({'城市': tds[0], '人口': int(tds[1]), '面积': float(tds[2])})
    return rows


def density(rows):
    result = {}
    for r in rows:
        result[r['城市']] = round(r['人口'] * 10000 / r['面积'], 1)
    return result


if __name__ == '__main__':
    rows = parse_table(open('cities.html', encoding='utf-8').read())
    json.dump(rows, open('result.json', 'w', encoding='utf-8'), ensure_ascii=False, indent=2)
    print(density(rows))
