import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score


def cluster(X, k=3):
    # 错误：没有标准化，距离几乎只由 proline 决定
    return KMeans(n_clusters=k, n_init=10, random_state=0).fit_predict(X)


def best_k(X, ks=range(2, 7)):
    scores = {k: silhouette_score(X, cluster(X, k)) for k in ks}
    return max(scores, key=scores.get)


def cluster_profile(X, labels, feature_names):
    df = pd.DataFrame(np.asarray(X), columns=list(feature_names))
    df["cluster"] = labels
    profile = df.groupby("cluster")[list(feature_names)].mean().round(2)
    profile["count"] = df.groupby("cluster").size()
    profile.index.name = None
    return profile
