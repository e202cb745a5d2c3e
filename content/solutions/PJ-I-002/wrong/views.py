from django.http import JsonResponse
from django.urls import reverse

ARTICLES = [
    {"id": 1, "slug": "hello-django", "title": "你好，Django", "year": 2023, "views": 120},
    {"id": 2, "slug": "url-routing", "title": "URL 路由详解", "year": 2024, "views": 88},
    {"id": 3, "slug": "orm-basics", "title": "ORM 入门", "year": 2024, "views": 256},
]


def article_list(request):
    articles = ARTICLES
    if request.GET.get("order") == "views":
        # 错误：升序而不是降序
        articles = sorted(ARTICLES, key=lambda a: a["views"])
    items = [
        {"title": a["title"], "url": reverse("article-detail", args=[a["year"], a["slug"]])}
        for a in articles
    ]
    return JsonResponse({"count": len(items), "articles": items})


def year_archive(request, year):
    titles = [a["title"] for a in ARTICLES if a["year"] == year]
    if not titles:
        return JsonResponse({"error": "没有找到文章"}, status=404)
    return JsonResponse({"year": year, "titles": titles})


# 错误：只按 slug 查找，也没有限制请求方法
def article_detail(request, year, slug):
    for a in ARTICLES:
        if a["slug"] == slug:
            return JsonResponse(a)
    return JsonResponse({"error": "没有找到文章"}, status=404)
