# 常见错误：身份证号写成了 18 位数字，末位是 X 的号码没有被隐藏
import re


def find_dates(text):
    result = []
    for y, m, d in re.findall(r'(\d{4})[-/年](\d{1,2})[-/月](\d{1,2})', text):
        result.append('%s-%02d-%02d' % (y, int(m), int(d)))
    return result


def mask_ids(text):
    return re.sub(r'(\d{6})\d{8}(\d{4})', r'\1********\2', text)
