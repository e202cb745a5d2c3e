import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import StandardScaler


def _kmeans(k):
    return KMeans(n_clusters=k, n_init=10, random_state=0)


def cluster(X, k=3):
    Xs = StandardScaler().fit_transform(X)
    return _kmeans(k).fit_predict(Xs)


def best_k(X, ks=range(2, 7)):
    Xs = StandardScaler().fit_transform(X)
    best, best_score = None, -np.inf
    for k in ks:
        score = silhouette_score(Xs, _kmeans(k).fit_predict(Xs))
        if score > best_score:  # 严格大于：相同时保留较小的 k
            best, best_score = k, score
    return best


def cluster_profile(X, labels, feature_names):
    df = pd.DataFrame(np.asarray(X), columns=list(feature_names))
    df["cluster"] = np.asarray(labels)
    g = df.groupby("cluster")
    profile = g[list(feature_names)].mean().round(2)
    profile["count"] = g.size()
    profile.index.name = None
    return profile.sort_index()


if __name__ == "__main__":
    from sklearn.datasets import load_wine

    data = load_wine()
    k = best_k(data.data)
    labels = cluster(data.data, k)
    print("最佳簇数：", k)
    print(cluster_profile(data.data, labels, data.feature_names)[["alcohol", "proline", "hue", "count"]])
