"""The office's form base: Bootstrap classes, accessible error wiring, and a service's ``DomainError`` put next to
the field it names. Every app's office forms derive from ``OfficeForm``."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from .errors import DomainError

# Service field names that differ from the form's.
FIELD_ALIASES = {"applicant_id": "applicant", "agent_id": "agent", "provider_id": "provider", "file": "upload"}


class OfficeForm(forms.Form):
    """Bootstrap classes on every widget, and after validation ``is-invalid``/``aria-invalid`` plus an
    ``aria-describedby`` that points at the error text (rendered by ``cases/_field.html``).

    ``show_required`` names fields the service requires although the form lets them through empty (so the
    service's own message is the one shown): they get the asterisk and ``aria-required``."""

    show_required: tuple[str, ...] = ()
    aliases: dict[str, str] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.show_required:
            self.fields[name].show_required = True  # type: ignore[attr-defined]
            self.fields[name].widget.attrs["aria-required"] = "true"
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple | forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs.setdefault("class", css)
            if field.help_text:
                widget.attrs["aria-describedby"] = f"{self[name].auto_id}-help"

    def full_clean(self) -> None:
        super().full_clean()
        self.mark_errors()

    def mark_errors(self) -> None:
        for name in self.errors:
            if name not in self.fields:
                continue
            attrs = self.fields[name].widget.attrs
            if "is-invalid" not in attrs.get("class", ""):
                attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
            attrs["aria-invalid"] = "true"
            described = [f"{self[name].auto_id}-error"]
            if self.fields[name].help_text:
                described.append(f"{self[name].auto_id}-help")
            attrs["aria-describedby"] = " ".join(described)

    def add_domain_error(self, exc: DomainError) -> None:
        """Put a service's message(s) next to the field(s) it names, or above the form."""
        errors = exc.errors or {exc.field or "": [exc.message]}
        for raw, messages in errors.items():
            name = self.aliases.get(raw) or FIELD_ALIASES.get(raw, raw)
            for message in messages:
                self.add_error(name if name in self.fields else None, message)
        self.mark_errors()


def set_choices(field: forms.Field, choices: list[tuple[str, str]]) -> None:
    cast(forms.ChoiceField, field).choices = choices
