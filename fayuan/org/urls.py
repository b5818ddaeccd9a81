from django.urls import path

from . import defense_pool_views, views

app_name = "org"
urlpatterns = [
    path("districts/", views.district_list, name="districts"),
    path("centers/", views.center_list, name="centers"),
    path("stations/", views.station_list, name="stations"),
    path("providers/", views.provider_list, name="providers"),
    path("providers/<int:pk>/", views.provider_detail, name="provider"),
    path("staff/", views.staff_list, name="staff"),
    # The criminal-defense pool (刑事辩护法律援助律师库).
    path("defense-pool/", defense_pool_views.pool_list, name="defense_pool"),
    path("defense-pool/admit/", defense_pool_views.pool_admit, name="defense_pool_admit"),
    path("defense-pool/<int:member_id>/", defense_pool_views.pool_member, name="defense_pool_member"),
    path("defense-pool/<int:member_id>/leave/", defense_pool_views.pool_leave, name="defense_pool_leave"),
]
