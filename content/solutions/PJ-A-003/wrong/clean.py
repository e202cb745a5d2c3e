import pandas as pd


def load(path="sales.csv"):
    return pd.read_csv(path)


def clean(df):
    # 错误：没有去掉重复订单；单价用全体数据的中位数填充
    out = df.dropna(subset=["product", "quantity"]).copy()
    out["unit_price"] = out["unit_price"].fillna(out["unit_price"].median())
    out["discount"] = out["discount"].fillna(0)
    out["region"] = out["region"].fillna("未知").str.strip()
    out["quantity"] = out["quantity"].astype(int)
    out["date"] = pd.to_datetime(out["date"])
    out["amount"] = (out["quantity"] * out["unit_price"] * (1 - out["discount"])).round(2)
    return out.reset_index(drop=True)


def region_summary(df):
    result = df.groupby("region")["amount"].agg(orders="count", amount="sum", avg_amount="mean").round(2)
    return result.sort_values("amount", ascending=False)
