import matplotlib
import matplotlib.pyplot as plt
import pandas as pd

# 有中文字体时使用中文字体（没有也能运行）
plt.rcParams["font.sans-serif"] = ["Noto Sans CJK SC", "WenQuanYi Zen Hei", "SimHei", "DejaVu Sans"]
plt.rcParams["axes.unicode_minus"] = False


def plot_trend(df):
    fig, ax = plt.subplots(figsize=(8, 5), dpi=100)
    for city in df.columns:
        if city == "month":
            continue
        ax.plot(df["month"], df[city], marker="o", label=city)
    ax.set_title("2023 年各城市月平均气温")
    ax.set_xlabel("月份")
    ax.set_ylabel("气温（℃）")
    ax.set_xticks(list(df["month"]))
    ax.grid(alpha=0.3)
    ax.legend()
    return fig


if __name__ == "__main__":
    data = pd.read_csv("temperature.csv")
    figure = plot_trend(data)
    figure.savefig("figure.png")
