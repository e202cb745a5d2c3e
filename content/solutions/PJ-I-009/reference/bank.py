class InsufficientFundsError(Exception):
    def __init__(self, balance, amount):
        self.balance = balance
        self.amount = amount
        super().__init__(f"余额不足：余额 {balance:.2f}，需要 {amount:.2f}")


class Account:
    def __init__(self, owner, balance=0):
        if balance < 0:
            raise ValueError("初始余额不能为负数")
        self.owner = owner
        self._balance = balance
        self.history = []

    @property
    def balance(self):
        return self._balance

    def _limit(self):
        """余额最低可以到多少。"""
        return 0

    def deposit(self, amount):
        if amount <= 0:
            raise ValueError("存款金额必须大于 0")
        self._balance += amount
        self.history.append(("存入", amount))
        return self._balance

    def withdraw(self, amount):
        if amount <= 0:
            raise ValueError("取款金额必须大于 0")
        if self._balance - amount < self._limit():
            raise InsufficientFundsError(self._balance, amount)
        self._balance -= amount
        self.history.append(("取出", amount))
        return self._balance

    def __str__(self):
        return f"账户[{self.owner}] 余额：{self._balance:.2f}"


class CreditAccount(Account):
    def __init__(self, owner, balance=0, limit=1000):
        super().__init__(owner, balance)
        self.limit = limit

    def _limit(self):
        return -self.limit

    @property
    def available(self):
        return self._balance + self.limit


def transfer(src, dst, amount):
    src.withdraw(amount)  # 失败时在这里抛出异常，dst 不受影响
    dst.deposit(amount)
