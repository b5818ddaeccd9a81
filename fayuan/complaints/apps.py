from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "fayuan.complaints"
    label = "complaints"
    verbose_name = "投诉处理"

    def ready(self) -> None:
        from fayuan.core.rulecache import watch

        from .models import RepeatRule

        watch(RepeatRule)  # a rule row like any other: a change bumps the rule stamp
        from fayuan.org.provider_notes import register_provider_note

        from .notes import repeated_complaints_note

        register_provider_note(repeated_complaints_note)
