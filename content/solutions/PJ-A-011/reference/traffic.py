import pandas as pd


def load(path="visits.csv"):
    return pd.read_csv(path, parse_dates=["date"])


def daily(df):
    s = df.set_index("date")["page_views"].sort_index()
    full = pd.date_range(s.index.min(), s.index.max(), freq="D")
    return s.reindex(full).fillna(0).astype(int)


def weekly_total(df):
    s = daily(df)
    weekly = s.resample("W-SUN").sum()           # 每周以周日结束
    weekly.index = weekly.index - pd.Timedelta(days=6)  # 改用周一作为索引
    return weekly


def rolling_mean(df, window=7):
    return daily(df).rolling(window).mean().round(1)


def weekday_profile(df):
    s = daily(df)
    return s.groupby(s.index.weekday).mean().round(1)
