class InsufficientFundsError(Exception):
    def __init__(self, balance, amount):
        self.balance = balance
        self.amount = amount
        super().__init__(f"余额不足：余额 {balance:.2f}，需要 {amount:.2f}")


class Account:
    # 错误：可变的类属性被所有账户共享
    history = []

    def __init__(self, owner, balance=0):
        if balance < 0:
            raise ValueError("初始余额不能为负数")
        self.owner = owner
        self.balance = balance  # 错误：balance 是普通属性，可以被随意修改

    def deposit(self, amount):
        if amount <= 0:
            raise ValueError("存款金额必须大于 0")
        self.balance += amount
        self.history.append(("存入", amount))
        return self.balance

    def withdraw(self, amount):
        if amount <= 0:
            raise ValueError("取款金额必须大于 0")
        if amount > self.balance:
            raise InsufficientFundsError(self.balance, amount)
        self.balance -= amount
        self.history.append(("取出", amount))
        return self.balance

    def __str__(self):
        return f"账户[{self.owner}] 余额：{self.balance:.2f}"


class CreditAccount(Account):
    def __init__(self, owner, balance=0, limit=1000):
        super().__init__(owner, balance)
        self.limit = limit

    @property
    def available(self):
        return self.balance + self.limit

    def withdraw(self, amount):
        if amount <= 0:
            raise ValueError("取款金额必须大于 0")
        if amount > self.available:
            raise InsufficientFundsError(self.balance, amount)
        self.balance -= amount
        self.history.append(("取出", amount))
        return self.balance


def transfer(src, dst, amount):
    # 错误：先存入再取出，取款失败时对方已经多了钱
    dst.deposit(amount)
    src.withdraw(amount)
