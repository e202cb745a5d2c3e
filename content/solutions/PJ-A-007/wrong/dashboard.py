import matplotlib.pyplot as plt
import pandas as pd


def make_dashboard(df):
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4), dpi=100)
    means = df.groupby("class")["score"].mean().round(1)
    left.bar(means.index, means.values)
    left.set_title("各班平均分")
    left.set_ylabel("平均分")
    # 错误：bins=5 是 5 个等宽分组，不是题目要求的分数段
    right.hist(df["score"], bins=5)
    right.set_title("成绩分布")
    right.set_xlabel("分数")
    right.set_ylabel("人数")
    # 错误：用 set_title 设置了左图标题之外的总标题（应使用 suptitle）
    fig.tight_layout()
    return fig


if __name__ == "__main__":
    fig = make_dashboard(pd.read_csv("exam.csv"))
    fig.savefig("dashboard.png")
