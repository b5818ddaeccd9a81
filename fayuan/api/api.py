"""The API under /api/v1/: one NinjaAPI, one router per area, one error shape (``errors.py``)."""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from . import cases, custody, eligibility, errors, notices, people
from .auth import session_auth, token_auth

DESCRIPTION = """
法援平台对外接口（第 1 版）。

- **身份认证**：系统对接使用令牌（`Authorization: Bearer <令牌>`，由管理员以 `manage.py issue_api_token 用户名`
  签发，仅显示一次）；已登录的浏览器也可使用会话（非 GET 请求须携带 `X-CSRFToken`）。受援条件自助审查无需登录。
- **权限范围**：每个账户只能看到和操作其权限范围内的记录；范围外的记录与不存在的记录一样返回 404。
- **幂等**：新建记录的 POST 接受 `Idempotency-Key` 请求头。相同的键和相同的请求体重试时返回第一次的结果
  （响应头 `Idempotent-Replayed: true`），不会重复创建；相同的键用于不同的请求体时返回 422。
- **错误**：统一为 `{"detail": "说明", "errors": {"字段": ["说明"]}}`；400 请求体不是有效的 JSON，401 未认证，
  403 无权执行该操作，404 未找到或无权查看，409 与案件当前状态冲突，413 请求内容过大，422 输入有误，
  429 请求过于频繁。
"""



class Utf8JSONRenderer(JSONRenderer):
    """Chinese stays readable in the raw JSON (and matches the stored idempotent answers byte for byte)."""

    json_dumps_params: dict[str, Any] = {"ensure_ascii": False}


api = NinjaAPI(
    title="法援平台 API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
    auth=[token_auth, session_auth],
    renderer=Utf8JSONRenderer(),
)
errors.install(api)
api.add_router("/eligibility", eligibility.router)
api.add_router("/cases", cases.router)
api.add_router("/people", people.router)
api.add_router("/forwardings", custody.router)
api.add_router("/notices", notices.router)
