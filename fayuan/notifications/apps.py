from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "fayuan.notifications"
    label = "notifications"
    verbose_name = "通知"
