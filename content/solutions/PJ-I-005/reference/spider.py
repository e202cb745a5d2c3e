import re

import scrapy


class NewsSpider(scrapy.Spider):
    name = "news"
    start_urls = ["https://news.example.com/list?page=1"]

    def parse(self, response):
        for item in response.css("div.news-item"):
            if "ad" in (item.attrib.get("class") or "").split():
                continue
            link = item.css("h2 > a")
            date_text = item.css("span.date::text").get(default="")
            m = re.search(r"(\d{4})年(\d{1,2})月(\d{1,2})日", date_text)
            date = f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}" if m else None
            comments_text = item.css("span.comments::text").get(default="")
            m = re.search(r"\d+", comments_text)
            yield {
                "title": link.css("::text").get(default="").strip(),
                "url": response.urljoin(link.attrib.get("href", "")),
                "date": date,
                "tags": [t.strip() for t in item.css("span.tag::text").getall()],
                "comments": int(m.group()) if m else 0,
            }
        next_href = response.css("a.next::attr(href)").get()
        if next_href:
            yield response.follow(next_href, callback=self.parse)
