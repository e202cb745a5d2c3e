import numpy as np
import pandas as pd
from scipy import stats

ALPHA = 0.05


def load(path="ab_test.csv"):
    return pd.read_csv(path)


def conversion_table(df):
    g = df.groupby("group")["converted"]
    table = pd.DataFrame({"users": g.count(), "conversions": g.sum()})
    table["rate"] = (table["conversions"] / table["users"]).round(4)
    return table.sort_index()


def chi2_test(df):
    t = conversion_table(df)
    observed = np.column_stack([t["conversions"], t["users"] - t["conversions"]])
    chi2, p, _, _ = stats.chi2_contingency(observed)  # 2×2 表默认使用 Yates 连续性校正
    return round(float(chi2), 4), round(float(p), 4)


def order_value_test(df):
    paid = df[df["converted"] == 1]
    a = paid.loc[paid["group"] == "A", "order_value"].dropna()
    b = paid.loc[paid["group"] == "B", "order_value"].dropna()
    t, p = stats.ttest_ind(a, b, equal_var=False)  # Welch t 检验
    return round(float(t), 4), round(float(p), 4)


def describe(values):
    v = np.asarray(values, dtype=float)
    return {
        "mean": round(float(v.mean()), 2),
        "median": round(float(np.median(v)), 2),
        "std": round(float(v.std(ddof=1)), 2),
        "q1": round(float(np.percentile(v, 25)), 2),
        "q3": round(float(np.percentile(v, 75)), 2),
    }


def verdict(p):
    return "差异显著" if p < ALPHA else "差异不显著"


if __name__ == "__main__":
    df = load()
    table = conversion_table(df)
    for group, row in table.iterrows():
        print(f"{group} 组转化率：{row['rate']:.4f}")
    _, p1 = chi2_test(df)
    print(f"卡方检验 p 值：{p1:.4f}（{verdict(p1)}）")
    _, p2 = order_value_test(df)
    print(f"客单价 t 检验 p 值：{p2:.4f}（{verdict(p2)}）")
