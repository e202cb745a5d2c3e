import matplotlib
import matplotlib.pyplot as plt
import pandas as pd


def plot_trend(df):
    fig, ax = plt.subplots(figsize=(8, 5), dpi=100)
    # 错误：把城市写死了，也没有显示图例、设置刻度
    ax.plot(df["month"], df["北京"], marker="o", label="北京")
    ax.plot(df["month"], df["广州"], marker="o", label="广州")
    ax.set_title("2023 年各城市月平均气温")
    ax.set_xlabel("月份")
    ax.set_ylabel("气温（℃）")
    return fig


if __name__ == "__main__":
    fig = plot_trend(pd.read_csv("temperature.csv"))
    # 错误：bbox_inches="tight" 会改变图片尺寸
    fig.savefig("figure.png", bbox_inches="tight")
