BOT_NAME = "bookstore"

SPIDER_MODULES = ["bookstore.spiders"]
NEWSPIDER_MODULE = "bookstore.spiders"

USER_AGENT = "bookstore-crawler (+https://books.example.com/contact)"
ROBOTSTXT_OBEY = True
DOWNLOAD_DELAY = 1

# 错误：忘记启用去重管道
ITEM_PIPELINES = {
    "bookstore.pipelines.PriceToFloatPipeline": 300,
}

REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
