import pandas as pd


def class_report(students, scores, classes):
    # 长格式 → 宽格式；min_count=1 使空成绩保持为 NaN
    wide = scores.groupby(["student_id", "subject"])["score"].sum(min_count=1).unstack()
    wide = wide.reindex(columns=sorted(scores["subject"].unique()))
    subjects = list(wide.columns)
    wide.columns.name = None

    report = students.merge(wide, left_on="student_id", right_index=True, how="left")
    report = report.merge(classes, on="class_id", how="left")

    report["missing"] = report[subjects].isna().sum(axis=1)
    report[subjects] = report[subjects].fillna(0)
    report["total"] = report[subjects].sum(axis=1)
    report["rank"] = report.groupby("class_name")["total"].rank(method="min", ascending=False).astype(int)

    cols = ["student_id", "name", "class_name", "teacher", *subjects, "total", "missing", "rank"]
    report = report[cols].sort_values(["class_name", "rank", "student_id"])
    return report.reset_index(drop=True)


def class_stats(report):
    g = report.groupby("class_name")["total"]
    stats = pd.DataFrame({"students": g.count(), "avg_total": g.mean().round(1), "max_total": g.max()})
    return stats.sort_index()


if __name__ == "__main__":
    report = class_report(pd.read_csv("students.csv"), pd.read_csv("scores.csv"), pd.read_csv("classes.csv"))
    print(report)
    print(class_stats(report))
