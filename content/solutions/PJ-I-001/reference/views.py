from django.shortcuts import render

# 图书数据（检查时可能被替换为其他数据，请在视图中读取它，不要写死结果）
BOOKS = [
    {"title": "Python 编程入门", "author": "张明", "price": 59.0},
    {"title": "Django 企业开发实战", "author": "李华", "price": 88.5},
    {"title": "网络爬虫实践", "author": "张明", "price": 45},
]


def book_list(request):
    author = request.GET.get("author", "").strip()
    books = [b for b in BOOKS if not author or b["author"] == author]
    books = sorted(books, key=lambda b: b["price"])
    context = {"books": books, "author": author, "total": len(books)}
    return render(request, "books/list.html", context)
