def group_by_student(records):
    """{姓名: [成绩, ...]}，成绩按记录出现的顺序。"""
    result = {}
    for name, subject, score in records:
        result.setdefault(name, []).append(score)
    return result


def top_students(records, k):
    """总分最高的 k 名学生的姓名；总分相同按姓名升序。"""
    totals = {}
    for name, subject, score in records:
        totals[name] = totals.get(name, 0) + score
    ranked = sorted(totals.items(), key=lambda item: (-item[1], item[0]))
    return [name for name, total in ranked[:k]]


def subject_average(records):
    """{科目: 平均分}，保留一位小数。"""
    sums = {}
    counts = {}
    for name, subject, score in records:
        sums[subject] = sums.get(subject, 0) + score
        counts[subject] = counts.get(subject, 0) + 1
    return {subject: round(sums[subject] / counts[subject], 1) for subject in sums}


if __name__ == '__main__':
    demo = [('张三', '语文', 90), ('李四', '语文', 85), ('张三', '数学', 78), ('李四', '数学', 92)]
    print(group_by_student(demo))
    print(top_students(demo, 1))
    print(subject_average(demo))
