"""Sign-in as Django's; permissions from the role alone (三员分立).

Groups and per-user permissions are ignored (the admin no longer offers them), so nobody gains a power by being
put in a group. The system administrator may use every model in the admin except Django's own ``auth`` tables;
which accounts and fields it may change is decided in ``accounts/admin.py`` without asking ``has_perm``, so that
an ``is_superuser`` flag (Django short-circuits ``has_perm`` for superusers) opens nothing more there.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from .roles import Role

NO_ROLE_PERMISSIONS = frozenset({"auth"})
# For ``login(..., backend=...)`` after a sign-in that did not go through ``authenticate`` (the portal's SMS code).
SIGN_IN_BACKEND = "fayuan.accounts.backends.RoleBackend"


class RoleBackend(ModelBackend):
    def get_user_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()

    def get_group_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        return bool(user_obj.is_active and getattr(user_obj, "role", "") == Role.SYSTEM_ADMIN
                    and app_label not in NO_ROLE_PERMISSIONS)

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return self.has_module_perms(user_obj, perm.partition(".")[0])
