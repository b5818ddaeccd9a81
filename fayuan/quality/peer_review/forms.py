from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms

from fayuan.core.forms import OfficeForm

DATE = forms.DateInput(attrs={"type": "date"})


class RoundForm(OfficeForm):
    year = forms.IntegerField(label="评查年度", min_value=2000, max_value=2100)
    rate = forms.IntegerField(label="抽查比例（%）", min_value=1, max_value=100, initial=10,
                              help_text="按中心和案件类型分层抽取；每个有结案案件的层至少抽取 1 件。")
    seed = forms.CharField(label="随机种子（可留空）", required=False, max_length=20,
                           help_text="留空则由系统随机生成并记录；用记录的种子重新抽取，结果相同。")


class BalancedAssignForm(OfficeForm):
    reviewers = forms.MultipleChoiceField(label="评估人", widget=forms.CheckboxSelectMultiple,
                                          help_text="未分配的案件按各人已分配数量均衡分配，并自动回避利害关系。")


class SampleAssignForm(OfficeForm):
    # The service checks the reviewer (and refuses a conflict with its reason), so any id is let through here.
    reviewer = forms.CharField(label="评估人", max_length=20)


class ScoreForm(OfficeForm):
    """The rubric's items are added as ``item_<id>`` (points) and ``note_<id>`` (comment) by the view."""

    comment = forms.CharField(label="总体评价", max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, items: Sequence[tuple[int, str, int]] = (),
                 guidance: Mapping[int, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, forms.Field] = {}
        for item_id, title, max_points in items:
            help_text = (guidance or {}).get(item_id, "")
            attrs = {"step": "0.5", "class": "form-control"}
            if help_text:
                attrs["aria-describedby"] = f"id_item_{item_id}-help"
            fields[f"item_{item_id}"] = forms.DecimalField(
                label=f"{title}（满分 {max_points}）", min_value=0, max_value=max_points, decimal_places=1,
                help_text=help_text, widget=forms.NumberInput(attrs=attrs))
            note = forms.Textarea(attrs={"rows": 2, "class": "form-control"})
            fields[f"note_{item_id}"] = forms.CharField(label=f"“{title}”的意见", required=False, max_length=5000,
                                                        widget=note)
        # The items first, then the overall comment.
        fields["comment"] = self.fields.pop("comment")
        self.fields = fields  # type: ignore[assignment]
        self.items = list(items)


class ImprovementForm(OfficeForm):
    measures = forms.CharField(label="整改措施", max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    deadline = forms.DateField(label="整改期限", widget=DATE)


class ImprovementDoneForm(OfficeForm):
    done_on = forms.DateField(label="完成日期", widget=DATE)
    done_note = forms.CharField(label="整改结果", max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
