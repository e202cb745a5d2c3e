import csv
import json

FIELDS = ["date", "store", "product", "quantity", "unit_price"]


def load_sales(path):
    records, bad_lines = [], []
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        next(reader, None)  # 表头
        for line_no, row in enumerate(reader, start=2):
            try:
                if len(row) != 5:
                    raise ValueError("列数不对")
                date, store, product, quantity, unit_price = row
                store = store.strip()
                quantity = int(quantity)
                unit_price = float(unit_price)
                if not store or quantity < 1 or unit_price < 0:
                    raise ValueError("取值无效")
            except ValueError:
                bad_lines.append(line_no)
                continue
            records.append({"date": date, "store": store, "product": product,
                            "quantity": quantity, "unit_price": unit_price})
    return records, bad_lines


def summarize(records):
    result = {}
    for r in records:
        s = result.setdefault(r["store"], {"orders": 0, "quantity": 0, "amount": 0.0})
        s["orders"] += 1
        s["quantity"] += r["quantity"]
        s["amount"] += r["quantity"] * r["unit_price"]
    for s in result.values():
        s["amount"] = round(s["amount"], 2)
    return result


def main(path="sales.csv", out="report.json"):
    try:
        records, bad_lines = load_sales(path)
    except FileNotFoundError:
        print(f"文件不存在：{path}")
        return
    stores = summarize(records)
    total = round(sum(r["quantity"] * r["unit_price"] for r in records), 2)
    report = {"stores": stores, "bad_lines": bad_lines, "total_amount": total}
    with open(out, "w", encoding="utf-8") as f:
        json.dump(report, f, ensure_ascii=False, indent=2)
    print(f"有效记录 {len(records)} 条，错误 {len(bad_lines)} 条")


if __name__ == "__main__":
    main()
