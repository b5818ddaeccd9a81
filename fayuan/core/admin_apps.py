from django.contrib.admin.apps import AdminConfig


class FayuanAdminConfig(AdminConfig):
    default_site = "fayuan.core.admin_site.OfficeAdminSite"
