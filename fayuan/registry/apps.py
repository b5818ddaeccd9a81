from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "fayuan.registry"
    label = "registry"
    verbose_name = "受援对象信息库"
