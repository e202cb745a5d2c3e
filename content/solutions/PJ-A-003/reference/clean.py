import pandas as pd


def load(path="sales.csv"):
    return pd.read_csv(path)


def clean(df):
    out = df.drop_duplicates(subset="order_id", keep="first")
    out = out.dropna(subset=["product", "quantity"]).copy()
    median_price = out.groupby("product")["unit_price"].transform("median")
    out["unit_price"] = out["unit_price"].fillna(median_price)
    out["discount"] = out["discount"].fillna(0)
    out["region"] = out["region"].str.strip().fillna("未知")
    out["quantity"] = out["quantity"].astype(int)
    out["date"] = pd.to_datetime(out["date"])
    out["amount"] = (out["quantity"] * out["unit_price"] * (1 - out["discount"])).round(2)
    return out.reset_index(drop=True)


def region_summary(df):
    g = df.groupby("region")["amount"]
    result = pd.DataFrame({"orders": g.count(), "amount": g.sum(), "avg_amount": g.mean()})
    result[["amount", "avg_amount"]] = result[["amount", "avg_amount"]].round(2)
    return result.sort_values("amount", ascending=False)
