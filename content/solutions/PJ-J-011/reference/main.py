import json
from lxml import etree


def to_number(text):
    return float(text.strip().replace(',', ''))


def parse_table(html_text):
    """id 为 cities 的表格中的每一行：{"城市": str, "人口": int, "面积": float}。"""
    tree = etree.HTML(html_text)
    rows = []
    for tr in tree.xpath('//table[@id="cities"]/tbody/tr'):
        cells = [td.xpath('string(.)').strip() for td in tr.xpath('./td')]
        rows.append({'城市': cells[0], '人口': int(to_number(cells[1])), '面积': to_number(cells[2])})
    return rows


def density(rows):
    """{城市: 每平方千米人数}，保留一位小数。"""
    return {r['城市']: round(r['人口'] * 10000 / r['面积'], 1) for r in rows}


if __name__ == '__main__':
    with open('cities.html', encoding='utf-8') as f:
        rows = parse_table(f.read())
    with open('result.json', 'w', encoding='utf-8') as f:
        json.dump(rows, f, ensure_ascii=False, indent=2)
    for city, d in density(rows).items():
        print(city, d)
