import pandas as pd


def load(path="orders.csv"):
    return pd.read_csv(path, parse_dates=["date"])


def _with_month(df):
    out = df.copy()
    out["month"] = out["date"].dt.strftime("%Y-%m")
    return out


def monthly_pivot(df):
    d = _with_month(df)
    p = pd.pivot_table(d, index="month", columns="category", values="amount",
                       aggfunc="sum", fill_value=0)
    p = p.sort_index().sort_index(axis=1)
    p["合计"] = p.sum(axis=1)
    p.columns.name = None
    return p.round(1)


def top_city(df):
    d = _with_month(df)
    tot = d.groupby(["month", "city"], as_index=False)["amount"].sum()
    tot = tot.sort_values(["month", "amount", "city"], ascending=[True, False, True])
    return tot.drop_duplicates("month").set_index("month")["city"]


def mom_growth(df):
    d = _with_month(df)
    monthly = d.groupby("month")["amount"].sum().sort_index()
    return (monthly.pct_change() * 100).round(1)
