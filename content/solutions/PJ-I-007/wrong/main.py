import re
import sqlite3


def main():
    conn = sqlite3.connect(":memory:")
    with open("shop.sql", encoding="utf-8") as f:
        conn.executescript(f.read())
    month = input().strip()
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month):
        print("月份格式错误")
        return
    # 错误：没有排除已取消的订单
    rows = conn.execute(
        """
        SELECT c.name, SUM(p.price * i.quantity) AS amount, COUNT(DISTINCT o.id)
        FROM orders o
        JOIN customers c ON c.id = o.customer_id
        JOIN order_items i ON i.order_id = o.id
        JOIN products p ON p.id = i.product_id
        WHERE o.order_date LIKE ? || '%'
        GROUP BY c.id
        ORDER BY amount DESC, c.id
        """,
        (month,),
    ).fetchall()
    if not rows:
        print(f"{month} 无有效订单")
        return
    print(f"{month} 消费排行")
    for rank, (name, amount, _) in enumerate(rows[:3], start=1):
        print(f"{rank}. {name} {amount:.2f}")
    print(f"有效订单 {sum(r[2] for r in rows)} 笔，合计 {sum(r[1] for r in rows):.2f} 元")


if __name__ == "__main__":
    main()
