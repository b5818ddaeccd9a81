from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .roles import Role


def role(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    current = getattr(user, "role", "") if user is not None and user.is_authenticated else ""
    return {"current_role": current, "Role": Role}
