import pandas as pd


def class_report(students, scores, classes):
    wide = scores.pivot(index="student_id", columns="subject", values="score")
    subjects = sorted(wide.columns)
    # 错误：缺失科目数在合并学生表之前统计，没有任何成绩的学生被记为 0
    wide["missing"] = wide[subjects].isna().sum(axis=1)
    wide = wide.reset_index()
    wide.columns.name = None
    report = students.merge(wide, on="student_id", how="left").merge(classes, on="class_id")
    report = report.fillna(0)
    report["missing"] = report["missing"].astype(int)
    report["total"] = report[subjects].sum(axis=1)
    # 错误：dense 排名，并列之后的名次没有跳过
    report["rank"] = report.groupby("class_name")["total"].rank(method="dense", ascending=False).astype(int)
    cols = ["student_id", "name", "class_name", "teacher", *subjects, "total", "missing", "rank"]
    return report[cols].sort_values(["class_name", "rank", "student_id"]).reset_index(drop=True)


def class_stats(report):
    return report.groupby("class_name")["total"].agg(students="count", avg_total="mean", max_total="max").round(1)


if __name__ == "__main__":
    report = class_report(pd.read_csv("students.csv"), pd.read_csv("scores.csv"), pd.read_csv("classes.csv"))
    print(report)
    print(class_stats(report))
