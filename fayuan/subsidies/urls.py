from django.urls import path

from . import views

app_name = "subsidies"
urlpatterns = [
    path("", views.subsidy_list, name="list"),
    path("tariff/", views.tariff, name="tariff"),
    path("case/<uuid:case_id>/claim/", views.claim, name="claim"),
    path("batches/", views.batches, name="batches"),
    path("batches/new/", views.batch_new, name="batch_new"),
    path("batches/<int:batch_id>/", views.batch, name="batch"),
    path("batches/<int:batch_id>/export.xlsx", views.batch_export, name="batch_export"),
    path("batches/<int:batch_id>/submit/", views.batch_submit, name="batch_submit"),
    path("batches/<int:batch_id>/paid/", views.batch_paid, name="batch_paid"),
    path("budgets/", views.budgets, name="budgets"),
    path("budgets/set/", views.budget_set, name="budget_set"),
    path("funding/<int:year>.xlsx", views.funding_export, name="funding_export"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/approve/", views.approve, name="approve"),
]
