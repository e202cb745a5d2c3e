import re

from scrapy import Selector

RATINGS = {"One": 1, "Two": 2, "Three": 3, "Four": 4, "Five": 5}


def parse_books(html):
    sel = Selector(text=html)
    books = []
    for art in sel.css("article.product"):
        link = art.css("h3 > a")
        title = link.attrib.get("title")
        if title is None:
            title = link.css("::text").get(default="")
        title = title.strip()
        price_text = art.css("p.price::text").get(default="")
        price = float(re.sub(r"[^\d.]", "", price_text))
        rating = 0
        classes = art.css("p.star-rating::attr(class)").get()
        if classes:
            parts = classes.split()
            if len(parts) > 1:
                rating = RATINGS.get(parts[1], 0)
        availability = "".join(art.css("p.availability ::text").getall())
        books.append({
            "title": title,
            "price": price,
            "rating": rating,
            "in_stock": "有货" in availability,
            "url": link.attrib.get("href"),
        })
    return books


if __name__ == "__main__":
    with open("books.html", encoding="utf-8") as f:
        items = parse_books(f.read())
    for b in items:
        print(f"{b['title']} | {b['price']:.2f} | {b['rating']} | {'有货' if b['in_stock'] else '缺货'}")
    print(f"共 {len(items)} 本")
