from __future__ import annotations

from fayuan.accounts.models import User
from fayuan.accounts.roles import CENTER_ROLES, Role
from fayuan.core.errors import PermissionDenied
from fayuan.org.models import Provider


def require_center(actor: User) -> None:
    if actor.role not in CENTER_ROLES or actor.center_id is None:
        raise PermissionDenied("只有法律援助中心的工作人员可以管理值班律师。")


def require_lawyer(actor: User) -> Provider:
    if actor.role != Role.DUTY_LAWYER or actor.provider is None:
        raise PermissionDenied("只有值班律师本人可以进行此操作。")
    return actor.provider
