import re

n = int(input())
with open('article.txt', encoding='utf-8') as f:
    words = re.findall(r'[a-z]+', f.read().lower())

counts = {}
for w in words:
    counts[w] = counts.get(w, 0) + 1

ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
for word, count in ranked[:n]:
    print(word, count)
print(f'不同单词数：{len(counts)}')
