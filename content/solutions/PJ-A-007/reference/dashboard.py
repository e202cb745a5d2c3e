import matplotlib.pyplot as plt
import pandas as pd

plt.rcParams["font.sans-serif"] = ["Noto Sans CJK SC", "WenQuanYi Zen Hei", "SimHei", "DejaVu Sans"]

BINS = [0, 60, 70, 80, 90, 100]


def make_dashboard(df):
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4), dpi=100)

    means = df.groupby("class")["score"].mean().round(1).sort_index()
    left.bar(means.index, means.values, color="#4C72B0")
    left.set_title("各班平均分")
    left.set_ylabel("平均分")
    for x, y in zip(range(len(means)), means.values):
        left.annotate(f"{y}", (x, y), ha="center", va="bottom")

    right.hist(df["score"], bins=BINS, color="#55A868", edgecolor="white")
    right.set_title("成绩分布")
    right.set_xlabel("分数")
    right.set_ylabel("人数")
    right.set_xticks(BINS)

    fig.suptitle("期末考试成绩概览")
    fig.tight_layout()
    return fig


if __name__ == "__main__":
    fig = make_dashboard(pd.read_csv("exam.csv"))
    fig.savefig("dashboard.png")
