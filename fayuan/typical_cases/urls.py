from django.urls import path

from . import views, views_review

app_name = "typical_cases"
urlpatterns = [
    path("", views.library, name="list"),
    path("new/", views.draft_new, name="new"),
    path("compliance/", views.compliance, name="compliance"),
    path("compilation/<int:year>.pdf", views.compilation_pdf, name="compilation_pdf"),
    path("compilation/<int:year>.docx", views.compilation_docx, name="compilation_docx"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/edit/", views.edit, name="edit"),
    path("<uuid:public_id>/submit/", views.submit, name="submit"),
    path("<uuid:public_id>/review/", views.review, name="review"),
    path("excellence/", views_review.reviews, name="excellence"),
    path("excellence/<int:review_id>/", views_review.review_detail, name="excellence_detail"),
    path("excellence/<int:review_id>/panel/", views_review.panel_add, name="excellence_panel"),
    path("excellence/<int:review_id>/nominate/", views_review.nominate, name="excellence_nominate"),
    path("excellence/<int:review_id>/scores/", views_review.scores, name="excellence_scores"),
    path("excellence/<int:review_id>/close/", views_review.close, name="excellence_close"),
]
