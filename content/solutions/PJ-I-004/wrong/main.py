from scrapy import Selector

RATINGS = {"One": 1, "Two": 2, "Three": 3, "Four": 4, "Five": 5}


def parse_books(html):
    sel = Selector(text=html)
    books = []
    for art in sel.css("article.product"):
        link = art.css("h3 a")
        title = (link.attrib.get("title") or link.css("::text").get(default="")).strip()
        price = float(art.css("p.price::text").get(default="0").strip().lstrip("¥").replace(",", ""))
        # 错误：取最后一个 class 作为评分，class 后面还有别的值时出错
        cls = art.css("p.star-rating::attr(class)").get(default="star-rating Zero")
        books.append({
            "title": title,
            "price": price,
            "rating": RATINGS.get(cls.split()[-1], 0),
            "in_stock": "有货" in art.css("p.availability::text").get(default=""),
            "url": link.attrib.get("href"),
        })
    return books


if __name__ == "__main__":
    with open("books.html", encoding="utf-8") as f:
        items = parse_books(f.read())
    for b in items:
        print(f"{b['title']} | {b['price']:.2f} | {b['rating']} | {'有货' if b['in_stock'] else '缺货'}")
    print(f"共 {len(items)} 本")
