from django.http import JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

ARTICLES = [
    {"id": 1, "slug": "hello-django", "title": "你好，Django", "year": 2023, "views": 120},
    {"id": 2, "slug": "url-routing", "title": "URL 路由详解", "year": 2024, "views": 88},
    {"id": 3, "slug": "orm-basics", "title": "ORM 入门", "year": 2024, "views": 256},
]

NOT_FOUND = {"error": "没有找到文章"}


def article_list(request):
    if request.GET.get("order") == "views":
        articles = sorted(ARTICLES, key=lambda a: a["views"], reverse=True)
    else:
        articles = sorted(ARTICLES, key=lambda a: a["id"])
    items = [
        {"title": a["title"], "url": reverse("article-detail", args=[a["year"], a["slug"]])}
        for a in articles
    ]
    return JsonResponse({"count": len(items), "articles": items})


def year_archive(request, year):
    articles = sorted((a for a in ARTICLES if a["year"] == year), key=lambda a: a["id"])
    if not articles:
        return JsonResponse(NOT_FOUND, status=404)
    return JsonResponse({"year": year, "titles": [a["title"] for a in articles]})


@require_GET
def article_detail(request, year, slug):
    for a in ARTICLES:
        if a["year"] == year and a["slug"] == slug:
            return JsonResponse(a)
    return JsonResponse(NOT_FOUND, status=404)
