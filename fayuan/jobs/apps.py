from django.apps import AppConfig


class JobsConfig(AppConfig):
    """The top floor: the periodic jobs and their scheduler. It imports the apps; nothing imports it."""

    name = "fayuan.jobs"
    label = "jobs"
    verbose_name = "定时任务"
