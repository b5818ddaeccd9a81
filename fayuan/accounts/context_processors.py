from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .roles import Role
from .twofactor import is_verified, needs_second_factor


def role(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    current = getattr(user, "role", "") if user is not None and user.is_authenticated else ""
    # Before the second factor the menu would only lead back to it: the page shows the sign-out alone.
    signed_in = bool(current) and not (needs_second_factor(user) and not is_verified(user))
    return {"current_role": current, "Role": Role, "signed_in": signed_in}
