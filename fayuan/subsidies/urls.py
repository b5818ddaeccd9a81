from django.urls import path
app_name = "subsidies"
urlpatterns: list = []
