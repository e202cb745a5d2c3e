import re

DATE_RE = re.compile(r'(\d{4})(?:[-/](\d{1,2})[-/](\d{1,2})(?!\d)|年(\d{1,2})月(\d{1,2})日)')
ID_RE = re.compile(r'(?<!\d)(\d{6})\d{8}(\d{3}[\dXx])(?!\d)')


def find_dates(text):
    """文本中的日期，统一成 YYYY-MM-DD，按出现顺序。"""
    result = []
    for m in DATE_RE.finditer(text):
        year = m.group(1)
        month = m.group(2) or m.group(4)
        day = m.group(3) or m.group(5)
        result.append(f'{year}-{int(month):02d}-{int(day):02d}')
    return result


def mask_ids(text):
    """把 18 位身份证号中间 8 位换成 *。"""
    return ID_RE.sub(lambda m: m.group(1) + '*' * 8 + m.group(2), text)


if __name__ == '__main__':
    print(find_dates('报名 2026-3-5 开始，2026年4月10日截止。'))
    print(mask_ids('身份证号：11010519491231002X'))
