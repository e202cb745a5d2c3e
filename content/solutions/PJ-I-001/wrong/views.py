from django.shortcuts import render

# 图书数据（检查时可能被替换为其他数据，请在视图中读取它，不要写死结果）
BOOKS = [
    {"title": "Python 编程入门", "author": "张明", "price": 59.0},
    {"title": "Django 企业开发实战", "author": "李华", "price": 88.5},
    {"title": "网络爬虫实践", "author": "张明", "price": 45},
]


def book_list(request):
    # 错误：忘记按价格排序（模板中也没有把价格格式化为两位小数）
    author = request.GET.get("author", "").strip()
    books = [b for b in BOOKS if not author or b["author"] == author]
    return render(request, "books/list.html", {"books": books, "author": author, "total": len(books)})
