from __future__ import annotations

from django import forms

from fayuan.core.forms import OfficeForm

from .models import CostItem, Procedure

COST_ROWS = 5
MONTH = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
ITEMS = [("", "（不申报）"), *CostItem.choices]


class ClaimForm(OfficeForm):
    procedure = forms.ChoiceField(label="适用程序", choices=Procedure.choices)
    units = forms.IntegerField(label="计算数量", min_value=1, max_value=365, initial=1,
                               help_text="按件、按诉讼阶段计算的填 1；按日、按人次计算的填天数或人次。")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for n in range(1, COST_ROWS + 1):
            self.fields[f"item_{n}"] = forms.ChoiceField(label=f"费用{n} 项目", choices=ITEMS, required=False)
            self.fields[f"amount_{n}"] = forms.DecimalField(label=f"费用{n} 金额（元）", required=False, min_value=0,
                                                            max_digits=12, decimal_places=2)
            self.fields[f"note_{n}"] = forms.CharField(label=f"费用{n} 说明", required=False, max_length=200)

    def costs(self) -> list[tuple[str, object, str]]:
        data = self.cleaned_data
        return [(data[f"item_{n}"], data[f"amount_{n}"], data[f"note_{n}"]) for n in range(1, COST_ROWS + 1)
                if data.get(f"item_{n}")]


class BatchForm(OfficeForm):
    month = forms.DateField(label="所属月份", input_formats=["%Y-%m", "%Y-%m-%d"], widget=MONTH)


class PaidForm(OfficeForm):
    paid_on = forms.DateField(label="支付日期", widget=forms.DateInput(attrs={"type": "date"}))


class BudgetForm(OfficeForm):
    center = forms.ChoiceField(label="中心")
    year = forms.IntegerField(label="年度", min_value=2018, max_value=2100)
    amount = forms.DecimalField(label="预算金额（元）", min_value=0, max_digits=12, decimal_places=2)
    note = forms.CharField(label="说明", required=False, max_length=200)
