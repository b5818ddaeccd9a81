from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    name = "fayuan.consultations"
    # The app was first called "intake" (it held consultations while application intake lived in cases): the label
    # keeps that name so its tables and migration history stay as they are; the code says what it holds.
    label = "intake"
    verbose_name = "咨询"
