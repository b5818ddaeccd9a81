from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "fayuan.outreach"
    label = "outreach"
    verbose_name = "走访与联系卡"
