from __future__ import annotations

from typing import ClassVar

from django.db import models


class Row(models.Model):
    """What the bare insert writes: a small validated JSON body, one row."""

    name = models.CharField(max_length=100)
    amount = models.IntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    # Declared: mypy's Django plugin reads config.settings, where this app is not installed.
    objects: ClassVar[models.Manager[Row]] = models.Manager()

    def __str__(self) -> str:
        return self.name


class Item(models.Model):
    """What the bare page reads: one row by an indexed column."""

    code = models.CharField(max_length=20, unique=True)
    title = models.CharField(max_length=200)
    body = models.TextField()

    objects: ClassVar[models.Manager[Item]] = models.Manager()

    def __str__(self) -> str:
        return self.code
