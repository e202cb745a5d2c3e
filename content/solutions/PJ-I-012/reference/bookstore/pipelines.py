import re

from scrapy.exceptions import DropItem


class PriceToFloatPipeline:
    """把 "¥1,299.00" 这样的价格转换为 float；缺少书名的条目丢弃。"""

    def process_item(self, item, spider):
        if not item.get("title"):
            raise DropItem("缺少书名")
        price = item.get("price")
        if isinstance(price, str):
            digits = re.sub(r"[^\d.]", "", price)
            item["price"] = float(digits) if digits else 0.0
        return item


class DuplicatesPipeline:
    """同一次运行中书名重复的条目只保留第一条。"""

    def open_spider(self, spider):
        self.seen = set()

    def process_item(self, item, spider):
        if not hasattr(self, "seen"):
            self.seen = set()
        title = item["title"]
        if title in self.seen:
            raise DropItem(f"重复的书：{title}")
        self.seen.add(title)
        return item
