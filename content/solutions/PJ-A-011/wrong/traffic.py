import pandas as pd


def load(path="visits.csv"):
    return pd.read_csv(path, parse_dates=["date"])


def daily(df):
    s = df.set_index("date")["page_views"].sort_index()
    full = pd.date_range(s.index.min(), s.index.max(), freq="D")
    return s.reindex(full).fillna(0).astype(int)


def weekly_total(df):
    # 错误：resample("W") 的标签是每周的周日，不是周一
    return daily(df).resample("W").sum()


def rolling_mean(df, window=7):
    # 错误：直接在原始记录上滚动，没有补齐缺失的日期
    s = df.set_index("date")["page_views"].fillna(0)
    return s.rolling(window).mean().round(1)


def weekday_profile(df):
    s = daily(df)
    return s.groupby(s.index.weekday).mean().round(1)
