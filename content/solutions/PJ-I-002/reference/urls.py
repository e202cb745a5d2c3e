from django.urls import path

import views

urlpatterns = [
    path("articles/", views.article_list, name="article-list"),
    path("articles/<int:year>/", views.year_archive, name="year-archive"),
    path("articles/<int:year>/<slug:slug>/", views.article_detail, name="article-detail"),
]
