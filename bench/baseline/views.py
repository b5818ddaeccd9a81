"""The two baseline views: validate a small JSON body and insert one row; render a small page after one indexed read."""

from __future__ import annotations

import json

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from .models import Item, Row


@csrf_exempt
@require_POST
def insert(request: HttpRequest) -> HttpResponse:
    try:
        data = json.loads(request.body)
    except ValueError:
        return JsonResponse({"detail": "请求体不是 JSON。"}, status=400)
    name, amount = (data.get("name"), data.get("amount")) if isinstance(data, dict) else (None, None)
    errors = {}
    if not isinstance(name, str) or not 1 <= len(name) <= 100:
        errors["name"] = ["须为 1 至 100 字的文字。"]
    if not isinstance(amount, int) or isinstance(amount, bool) or not 0 <= amount <= 1_000_000:
        errors["amount"] = ["须为 0 至 1000000 的整数。"]
    if errors:
        return JsonResponse({"detail": "数据有误。", "errors": errors}, status=422)
    row = Row.objects.create(name=name, amount=amount)
    return JsonResponse({"id": row.pk, "name": row.name, "amount": row.amount}, status=201)


@require_GET
def page(request: HttpRequest, code: str) -> HttpResponse:
    item = Item.objects.filter(code=code).first()
    if item is None:
        raise Http404
    return render(request, "baseline/page.html", {"item": item})
