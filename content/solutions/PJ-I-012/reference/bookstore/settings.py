BOT_NAME = "bookstore"

SPIDER_MODULES = ["bookstore.spiders"]
NEWSPIDER_MODULE = "bookstore.spiders"

USER_AGENT = "bookstore-crawler (+https://books.example.com/contact)"
ROBOTSTXT_OBEY = True
DOWNLOAD_DELAY = 1.5
CONCURRENT_REQUESTS_PER_DOMAIN = 2

ITEM_PIPELINES = {
    "bookstore.pipelines.PriceToFloatPipeline": 300,
    "bookstore.pipelines.DuplicatesPipeline": 400,
}

REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"
