# 常见错误：用 most_common 取前 n 个，次数相同的单词没有按字母顺序排
import re
from collections import Counter

n = int(input())
text = open('article.txt', encoding='utf-8').read().lower()
counter = Counter(re.findall(r'[a-z]+', text))
for word, count in counter.most_common(n):
    print(word, count)
print('不同单词数：' + str(len(counter)))
