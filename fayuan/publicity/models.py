"""Publicity of legal aid (2018 work plan, points 18 and 19: 利用报纸、广播、电视、网站、微博、微信等媒体做好法律援助
工作的宣传; 在开展人民调解、法治宣传……过程中借力宣传法律援助，加强法律援助进村入户宣传). Two records: a publicity
event held (a lecture, a street consultation, a campaign on a theme day such as 3·15 or 12·4) and a media item
published. Each is organised by a center or a justice bureau; ``selectors.publicity_counts`` counts them
for the dashboards."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class EventKind(models.TextChoices):
    LECTURE = "lecture", "法律讲座"
    STREET = "street", "街头咨询"
    CAMPAIGN_315 = "campaign_315", "“3·15”消费者权益日宣传"
    CAMPAIGN_124 = "campaign_124", "“12·4”国家宪法日宣传"
    CAMPAIGN_OTHER = "campaign_other", "其他主题日宣传"
    VILLAGE = "village", "进村入户宣传"


class Channel(models.TextChoices):
    NEWSPAPER = "newspaper", "报纸"
    RADIO = "radio", "广播"
    TV = "tv", "电视"
    WEBSITE = "website", "网站"
    WEIBO = "weibo", "微博"
    WECHAT = "wechat", "微信"


class Organised(models.Model):
    """Organised by a center, or by a justice bureau (``organiser_district`` empty: the city bureau)."""

    organiser_center = models.ForeignKey("org.Center", verbose_name="组织中心", null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="+")
    by_bureau = models.BooleanField("由司法局组织", default=False)
    organiser_district = models.ForeignKey("org.District", verbose_name="组织司法局所在行政区", null=True,
                                           blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    ONE_ORGANISER = (Q(by_bureau=False, organiser_center__isnull=False, organiser_district__isnull=True)
                     | Q(by_bureau=True, organiser_center__isnull=True))

    class Meta:
        abstract = True

    @property
    def organiser_label(self) -> str:
        if self.organiser_center is not None:
            return self.organiser_center.name
        district = self.organiser_district
        return f"{district.name}司法局" if district is not None else "市司法局"


class PublicityEvent(Organised):
    kind = models.CharField("形式", max_length=20, choices=EventKind.choices)
    title = models.CharField("名称", max_length=200)
    held_on = models.DateField("日期")
    place = models.CharField("地点", max_length=200)
    audience = models.PositiveIntegerField("受众人数")

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = "宣传活动"
        verbose_name_plural = "宣传活动"
        constraints = [models.CheckConstraint(condition=Organised.ONE_ORGANISER, name="publicity_event_one_organiser")]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.title}"


class MediaItem(Organised):
    title = models.CharField("标题", max_length=200)
    published_on = models.DateField("刊播日期")
    channel = models.CharField("媒体类型", max_length=20, choices=Channel.choices)
    outlet = models.CharField("媒体名称", max_length=100, help_text="如《京江晚报》、镇江电视台、中心微信公众号")
    reference = models.CharField("链接或版面", max_length=300, blank=True, help_text="网址，或报纸的日期版面、节目名称")

    class Meta:
        ordering = ["-published_on", "-pk"]
        verbose_name = "媒体宣传"
        verbose_name_plural = "媒体宣传"
        constraints = [models.CheckConstraint(condition=Organised.ONE_ORGANISER, name="media_item_one_organiser")]

    def __str__(self) -> str:
        return self.title
