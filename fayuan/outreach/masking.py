"""Names as a card or a list shows them: 张*明, 李*, 欧阳**华 (the family name and the last character kept)."""

from __future__ import annotations


def mask_name(name: str) -> str:
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return f"{name[0]}*"
    return f"{name[0]}{'*' * (len(name) - 2)}{name[-1]}"
