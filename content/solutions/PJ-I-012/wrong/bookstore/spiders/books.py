import scrapy

from bookstore.items import BookItem


class BooksSpider(scrapy.Spider):
    name = "books"
    allowed_domains = ["books.example.com"]
    start_urls = ["https://books.example.com/catalogue/page-1.html"]

    def parse(self, response):
        category = response.css("h1.category::text").get(default="").strip()
        for book in response.css("li.book"):
            # 错误：用链接文字当书名（会被截断）
            yield BookItem(
                title=book.css("a.title::text").get(default="").strip(),
                price=book.css("span.price::text").get(default="").strip(),
                category=category,
            )
        next_page = response.css("li.next a::attr(href)").get()
        if next_page:
            yield response.follow(next_page, callback=self.parse)
