from django.urls import path

from . import overview_views, views

app_name = "duty"
urlpatterns = [
    path("", views.index, name="index"),
    path("stations/<int:station_id>/pool/", views.pool, name="pool"),
    path("pool/<int:member_id>/leave/", views.pool_leave, name="pool_leave"),
    path("unavailability/", views.unavailability, name="unavailability"),
    path("rota/<int:year>/<int:month>/", views.rota, name="rota"),
    path("rota/<int:year>/<int:month>/generate/", views.rota_generate, name="rota_generate"),
    path("rota/<int:year>/<int:month>/publish/", views.rota_publish, name="rota_publish"),
    path("swaps/", views.swaps, name="swaps"),
    path("swaps/<int:swap_id>/decide/", views.swap_decide, name="swap_decide"),
    path("my/", views.my_duties, name="my"),
    path("my/unavailability/", views.my_unavailability, name="my_unavailability"),
    path("duties/<int:duty_id>/check-in/", views.check_in, name="check_in"),
    path("duties/<int:duty_id>/check-out/", views.check_out, name="check_out"),
    path("duties/<int:duty_id>/swap/", views.swap_request, name="swap_request"),
    path("duties/<int:duty_id>/help/", views.help_new, name="help_new"),
    path("help/", views.help_list, name="help_list"),
    path("no-shows/", views.no_shows, name="no_shows"),
    path("reports/", views.report, name="report"),
    path("inspections/", views.inspections, name="inspections"),
    path("overview/", overview_views.overview, name="overview"),
    path("overview/records/", overview_views.records, name="overview_records"),
]
