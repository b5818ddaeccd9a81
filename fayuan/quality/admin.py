"""The quality rules are data the bureau keeps (through the system administrator): grading criteria, rubrics and
their items, the combination weights and the follow-up sample rates. The records change only through services."""

from django.contrib import admin

from fayuan.core.admin import AuditedAdmin

from .models import CombinationRule, FollowUpRule, GradingCriterion, Rubric, RubricItem


@admin.register(GradingCriterion)
class GradingCriterionAdmin(AuditedAdmin):
    list_display = ["code", "name", "grade", "match_on", "basis_status", "effective_from", "effective_to"]
    list_filter = ["grade", "match_on", "basis_status"]


class RubricItemInline(admin.TabularInline):
    model = RubricItem
    extra = 0


@admin.register(Rubric)
class RubricAdmin(AuditedAdmin):
    list_display = ["name", "purpose", "sample", "effective_from", "effective_to"]
    list_filter = ["purpose", "sample"]
    inlines = [RubricItemInline]


@admin.register(CombinationRule)
class CombinationRuleAdmin(AuditedAdmin):
    list_display = ["effective_from", "effective_to", "weight_rating", "weight_inspection", "weight_organ",
                    "weight_attendance", "local_default"]


@admin.register(FollowUpRule)
class FollowUpRuleAdmin(AuditedAdmin):
    list_display = ["center", "rate", "effective_from", "effective_to", "local_default"]
