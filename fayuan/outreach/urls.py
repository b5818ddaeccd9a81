from django.urls import path

from . import views, views_cards

app_name = "outreach"
urlpatterns = [
    path("", views.households, name="households"),
    path("households/new/", views.household_new, name="household_new"),
    path("households/<int:household_id>/", views.household, name="household"),
    path("households/<int:household_id>/visit/", views.visit_new, name="visit_new"),
    path("needs/<int:need_id>/task/", views.task_open, name="task_open"),
    path("plans/", views.plans, name="plans"),
    path("plans/new/", views.plan_new, name="plan_new"),
    path("plans/<int:plan_id>/", views.plan, name="plan"),
    path("tasks/", views.tasks, name="tasks"),
    path("tasks/<int:task_id>/", views.task, name="task"),
    path("tasks/<int:task_id>/start/", views.task_start, name="task_start"),
    path("tasks/<int:task_id>/close/", views.task_close, name="task_close"),
    path("report/", views_cards.needs, name="needs"),
    path("report.csv", views_cards.needs_csv, name="needs_csv"),
    path("cards/", views_cards.cards, name="cards"),
    path("cards/<uuid:batch_id>/", views_cards.card_batch, name="card_batch"),
    path("cards/<uuid:batch_id>/sheet.pdf", views_cards.card_pdf, name="card_pdf"),
]
