from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "fayuan.accounts"
    label = "accounts"
    verbose_name = "账户与角色"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (audit sign-in events; the only signals used, as auth emits them)
