from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "fayuan.meetings"
    label = "meetings"
    verbose_name = "刑事法律援助联席会议"
