import csv
import json
import os


def load_sales(path):
    records, bad = [], []
    with open(path, encoding="utf-8") as f:
        reader = csv.DictReader(f)
        for i, row in enumerate(reader, start=2):
            try:
                # 错误：int(float(...)) 把 1.5 当成 1；没有检查数量是否为正、列数是否正确、门店是否为空
                records.append({
                    "date": row["date"],
                    "store": row["store"].strip(),
                    "product": row["product"],
                    "quantity": int(float(row["quantity"])),
                    "unit_price": float(row["unit_price"]),
                })
            except (ValueError, TypeError):
                bad.append(i)
    return records, bad


def summarize(records):
    result = {}
    for r in records:
        s = result.setdefault(r["store"], {"orders": 0, "quantity": 0, "amount": 0})
        s["orders"] += 1
        s["quantity"] += r["quantity"]
        s["amount"] += r["quantity"] * r["unit_price"]
    for s in result.values():
        s["amount"] = round(s["amount"], 2)
    return result


def main(path="sales.csv", out="report.json"):
    if not os.path.exists(path):
        print(f"文件不存在：{path}")
        return
    records, bad = load_sales(path)
    stores = summarize(records)
    total = round(sum(s["amount"] for s in stores.values()), 2)
    with open(out, "w", encoding="utf-8") as f:
        # 错误：没有设置 ensure_ascii=False
        json.dump({"stores": stores, "bad_lines": bad, "total_amount": total}, f, indent=2)
    print(f"有效记录 {len(records)} 条，错误 {len(bad)} 条")


if __name__ == "__main__":
    main()
