import numpy as np


def zscore(scores):
    s = np.asarray(scores, dtype=float)
    # 错误：用了样本标准差 ddof=1，也没有处理标准差为 0 的列
    return (s - s.mean(axis=0)) / s.std(axis=0, ddof=1)


def weighted_total(scores, weights):
    s = np.asarray(scores, dtype=float)
    w = np.asarray(weights, dtype=float)
    if w.shape[0] != s.shape[1]:
        raise ValueError("权重个数必须等于科目数")
    return (s * w).sum(axis=1) / w.sum()


def top_k(scores, weights, k):
    # 错误：先升序再反转，并列时行号大的排在前面
    return np.argsort(weighted_total(scores, weights))[::-1][:k]


def pass_mask(scores, passing):
    return np.asarray(scores) >= np.asarray(passing)
