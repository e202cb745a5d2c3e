import scrapy

from bookstore.items import BookItem


class BooksSpider(scrapy.Spider):
    name = "books"
    allowed_domains = ["books.example.com"]
    start_urls = ["https://books.example.com/catalogue/page-1.html"]

    def parse(self, response):
        category = response.css("h1.category::text").get(default="").strip()
        for book in response.css("li.book"):
            item = BookItem()
            item["title"] = book.css("a.title::attr(title)").get(default="").strip()
            item["price"] = book.css("span.price::text").get(default="").strip()
            item["category"] = category
            yield item
        next_page = response.css("li.next a::attr(href)").get()
        if next_page:
            yield response.follow(next_page, callback=self.parse)
