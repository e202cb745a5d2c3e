def is_prime(n):
    if n < 2:
        return False
    i = 2
    while i * i <= n:
        if n % i == 0:
            return False
        i += 1
    return True


a, b = map(int, input().split())
primes = [str(x) for x in range(a, b + 1) if is_prime(x)]
print(' '.join(primes) if primes else '无')
print(f'共 {len(primes)} 个')
