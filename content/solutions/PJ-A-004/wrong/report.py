import pandas as pd


def load(path="orders.csv"):
    return pd.read_csv(path, parse_dates=["date"])


def monthly_pivot(df):
    d = df.copy()
    d["month"] = d["date"].dt.strftime("%Y-%m")
    # 错误：pivot_table 默认的 aggfunc 是平均值，不是合计
    p = d.pivot_table(index="month", columns="category", values="amount", fill_value=0)
    p["合计"] = p.sum(axis=1)
    return p.round(1)


def top_city(df):
    d = df.copy()
    d["month"] = d["date"].dt.strftime("%Y-%m")
    return d.groupby(["month", "city"])["amount"].sum().unstack().idxmax(axis=1)


def mom_growth(df):
    d = df.copy()
    d["month"] = d["date"].dt.strftime("%Y-%m")
    # 错误：没有乘以 100
    return d.groupby("month")["amount"].sum().pct_change().round(1)
