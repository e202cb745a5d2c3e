import re
import sqlite3

SQL = """
SELECT c.id, c.name, SUM(p.price * i.quantity) AS amount
FROM orders o
JOIN customers c ON c.id = o.customer_id
JOIN order_items i ON i.order_id = o.id
JOIN products p ON p.id = i.product_id
WHERE o.status = 'paid' AND substr(o.order_date, 1, 7) = ?
GROUP BY c.id, c.name
ORDER BY amount DESC, c.id ASC
"""


def main():
    conn = sqlite3.connect(":memory:")
    with open("shop.sql", encoding="utf-8") as f:
        conn.executescript(f.read())
    month = input().strip()
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month):
        print("月份格式错误")
        return
    rows = conn.execute(SQL, (month,)).fetchall()
    if not rows:
        print(f"{month} 无有效订单")
        return
    count = conn.execute(
        "SELECT COUNT(*) FROM orders WHERE status = 'paid' AND substr(order_date, 1, 7) = ?",
        (month,),
    ).fetchone()[0]
    print(f"{month} 消费排行")
    for rank, (_, name, amount) in enumerate(rows[:3], start=1):
        print(f"{rank}. {name} {amount:.2f}")
    total = sum(r[2] for r in rows)
    print(f"有效订单 {count} 笔，合计 {total:.2f} 元")


if __name__ == "__main__":
    main()
