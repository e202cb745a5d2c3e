import functools


def count_calls(func):
    # 错误：没有使用 functools.wraps
    def wrapper(*args, **kwargs):
        wrapper.calls += 1
        return func(*args, **kwargs)

    wrapper.calls = 0
    return wrapper


def retry(times=3, exceptions=(Exception,)):
    def decorator(func):
        def wrapper(*args, **kwargs):
            # 错误：重试了所有异常，且共调用了 times + 1 次
            last = None
            for _ in range(times + 1):
                try:
                    return func(*args, **kwargs)
                except Exception as e:
                    last = e
            raise last

        return wrapper

    return decorator


def chunked(iterable, size):
    if size < 1:
        raise ValueError("size 必须大于等于 1")
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def compose(*funcs):
    # 错误：从左到右调用
    return lambda x: functools.reduce(lambda acc, f: f(acc), funcs, x)


def group_by(items, key):
    groups = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    return groups
