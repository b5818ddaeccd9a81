from django.apps import AppConfig


class LawyerTeamConfig(AppConfig):
    name = "fayuan.lawyer_team"
    label = "lawyer_team"
    verbose_name = "名优律师团"

    def ready(self) -> None:
        from fayuan.org.provider_notes import register_provider_note

        from .notes import membership_note

        register_provider_note(membership_note)
