import re

import scrapy


class NewsSpider(scrapy.Spider):
    name = "news"
    start_urls = ["https://news.example.com/list?page=1"]

    def parse(self, response):
        # 错误：日期的月、日没有补足两位
        for item in response.css("div.news-item:not(.ad)"):
            link = item.css("h2 > a")
            y, mo, d = re.findall(r"\d+", item.css("span.date::text").get(default="0年0月0日"))
            comments = re.findall(r"\d+", item.css("span.comments::text").get(default="0"))
            yield {
                "title": link.css("::text").get(default="").strip(),
                "url": response.urljoin(link.attrib.get("href", "")),
                "date": f"{y}-{mo}-{d}",
                "tags": [t.strip() for t in item.css("span.tag::text").getall()],
                "comments": int(comments[0]) if comments else 0,
            }
        next_href = response.css("a.next::attr(href)").get()
        if next_href:
            yield scrapy.Request("https://news.example.com/list" + next_href, callback=self.parse)
