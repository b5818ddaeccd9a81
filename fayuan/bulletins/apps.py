from django.apps import AppConfig


class BulletinsConfig(AppConfig):
    name = "fayuan.bulletins"
    label = "bulletins"
    verbose_name = "质量通报"
