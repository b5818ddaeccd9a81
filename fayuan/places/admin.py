from django.contrib import admin

from .models import Place


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "town", "district", "kind", "urban", "population")
    list_filter = ("district", "kind", "urban")
    search_fields = ("code", "name", "town")
