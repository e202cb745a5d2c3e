import numpy as np


def pairwise_distances(A, B):
    A = np.asarray(A, dtype=float)
    B = np.asarray(B, dtype=float)
    diff = A[:, np.newaxis, :] - B[np.newaxis, :, :]   # (m, n, d)
    return np.sqrt((diff ** 2).sum(axis=-1))


def nearest(A, B):
    return np.argmin(pairwise_distances(A, B), axis=1)  # argmin 在并列时返回第一个


def moving_average(x, k):
    x = np.asarray(x, dtype=float)
    if k < 1 or k > len(x):
        raise ValueError("k 必须在 1 到 len(x) 之间")
    c = np.cumsum(np.concatenate(([0.0], x)))
    return (c[k:] - c[:-k]) / k


def normalize_rows(M):
    M = np.asarray(M, dtype=float)
    norms = np.linalg.norm(M, axis=1, keepdims=True)
    return np.divide(M, norms, out=np.zeros_like(M), where=norms != 0)
