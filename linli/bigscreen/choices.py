from django.db import models


class Panel(models.TextChoices):
    """What a screen rotates through (in this order unless the screen says otherwise)."""

    OVERVIEW = "overview", "社区概况"
    VISITS = "visits", "走访关爱"
    APPEALS = "appeals", "诉求办理"
    VOLUNTEERS = "volunteers", "志愿服务"
    LOVEBANK = "lovebank", "爱心银行"
    WISHES = "wishes", "微心愿"
    TRENDS = "trends", "近12个月趋势"
    WALL = "wall", "好人好事墙"


DEFAULT_PANELS = [p.value for p in Panel]


class WallKind(models.TextChoices):
    """Where an entry of the 好人好事墙 comes from."""

    DEED = "deed", "好人好事"
    SERVICE = "service", "志愿服务"  # one entry per activity
