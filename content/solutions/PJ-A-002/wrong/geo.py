import numpy as np


def pairwise_distances(A, B):
    A = np.asarray(A, dtype=float)
    B = np.asarray(B, dtype=float)
    # 错误：只适用于二维坐标
    dx = A[:, 0][:, None] - B[:, 0][None, :]
    dy = A[:, 1][:, None] - B[:, 1][None, :]
    return np.sqrt(dx ** 2 + dy ** 2)


def nearest(A, B):
    return np.argmin(pairwise_distances(A, B), axis=1)


def moving_average(x, k):
    # 错误：mode="same" 得到的长度与原数组相同，边界窗口不完整；也没有检查 k
    return np.convolve(np.asarray(x, dtype=float), np.ones(k) / k, mode="same")


def normalize_rows(M):
    M = np.asarray(M, dtype=float)
    return M / np.linalg.norm(M, axis=1, keepdims=True)
