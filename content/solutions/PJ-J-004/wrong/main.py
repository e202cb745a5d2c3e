# 常见错误：按 (总分, 姓名) 整体降序排序，总分相同时姓名也成了降序
def group_by_student(records):
    result = {}
    for r in records:
        if r[0] not in result:
            result[r[0]] = []
        result[r[0]].append(r[2])
    return result


def top_students(records, k):
    totals = {}
    for name, subject, score in records:
        totals[name] = totals.get(name, 0) + score
    ranked = sorted(totals.items(), key=lambda item: (item[1], item[0]), reverse=True)
    return [name for name, total in ranked][:k]


def subject_average(records):
    sums = {}
    counts = {}
    for name, subject, score in records:
        sums[subject] = sums.get(subject, 0) + score
        counts[subject] = counts.get(subject, 0) + 1
    return {s: round(sums[s] / counts[s], 1) for s in sums}
