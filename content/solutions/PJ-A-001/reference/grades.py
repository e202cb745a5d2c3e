import numpy as np


def zscore(scores):
    s = np.asarray(scores, dtype=float)
    mean = s.mean(axis=0)
    std = s.std(axis=0)
    safe = np.where(std == 0, 1.0, std)          # 避免除以 0
    return np.where(std == 0, 0.0, (s - mean) / safe)


def weighted_total(scores, weights):
    s = np.asarray(scores, dtype=float)
    w = np.asarray(weights, dtype=float)
    if w.ndim != 1 or w.shape[0] != s.shape[1]:
        raise ValueError("权重个数必须等于科目数")
    return s @ w / w.sum()


def top_k(scores, weights, k):
    total = weighted_total(scores, weights)
    order = np.argsort(-total, kind="stable")  # 稳定排序：分数相同时行号小的在前
    return order[:k]


def pass_mask(scores, passing):
    return np.asarray(scores) >= np.asarray(passing)
