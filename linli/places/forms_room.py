"""The room form (功能室登记/修改). The rules (hours, open days, who may book, capacity, unique name) live in
linli.places.services_rooms.save_room; the form turns what was typed into a Room and shows the service's errors."""

from __future__ import annotations

from django import forms
from django.db.models import Q

from linli.accounts.models import User
from linli.areas.models import Community
from linli.attachments.forms import MultiplePhotoField
from linli.core.forms import LinliForm
from linli.places.choices import BookerKind, RoomKind
from linli.places.models import Room
from linli.places.services_rooms import WEEKDAYS

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
#: The fields copied between the form and the room as they are.
PLAIN = [
    "name", "kind", "location", "capacity", "equipment", "description", "opens_at", "closes_at",
    "needs_approval", "manager", "sort",
]  # fmt: skip


def staff_of(communities):
    """Active accounts assigned in `communities` (or their grids and buildings): who may be a room's 管理人."""
    where = (
        Q(assignments__community__in=communities)
        | Q(assignments__grid__community__in=communities)
        | Q(assignments__building__community__in=communities)
    )
    ids = User.objects.filter(where, is_active=True).values("pk")
    return User.objects.filter(pk__in=ids).order_by("full_name", "username")


class RoomForm(LinliForm):
    community = forms.ModelChoiceField(label="社区", queryset=Community.objects.none())
    name = forms.CharField(label="名称", max_length=64, help_text="如：书法室、四点半学校教室、多功能厅。")
    kind = forms.ChoiceField(label="类型", choices=RoomKind.choices)
    location = forms.CharField(label="位置", max_length=100, required=False, help_text="如：党群服务中心二楼东侧。")
    capacity = forms.IntegerField(label="容纳人数", min_value=1, max_value=10000)
    equipment = forms.CharField(
        label="设施设备", max_length=300, required=False, help_text="如：投影仪、音响、书画桌 12 张。"
    )
    description = forms.CharField(
        label="使用说明", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    opens_at = forms.TimeField(label="开放时间", widget=TIME)
    closes_at = forms.TimeField(label="关闭时间", widget=TIME)
    open_days = forms.TypedMultipleChoiceField(
        label="开放日",
        choices=list(enumerate(WEEKDAYS)),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    bookable_by = forms.MultipleChoiceField(
        label="可预约对象", choices=BookerKind.choices, widget=forms.CheckboxSelectMultiple
    )
    needs_approval = forms.BooleanField(
        label="预约需审核", required=False, help_text="勾选后，预约由社区工作人员审核通过才生效。"
    )
    manager = forms.ModelChoiceField(label="管理人", queryset=User.objects.none(), required=False)
    sort = forms.IntegerField(
        label="排序", min_value=0, max_value=999, initial=0, required=False, help_text="小的在前。"
    )
    photos = MultiplePhotoField(label="照片", help_text="功能室照片，最多6张，单张不超过15MB。")

    def __init__(self, *args, room: Room | None = None, communities=None, **kwargs):
        self.room = room
        if room is not None and "initial" not in kwargs:
            kwargs["initial"] = {f: getattr(room, f) for f in PLAIN} | {
                "community": room.community_id,
                "open_days": room.open_days,
                "bookable_by": room.bookable_by,
            }
        super().__init__(*args, **kwargs)
        if room is None:
            self.fields["community"].queryset = communities.order_by("name")
            self.fields["open_days"].initial = list(range(7))
            self.fields["bookable_by"].initial = list(BookerKind.values)
            if len(self.fields["community"].queryset) == 1:
                self.fields["community"].initial = self.fields["community"].queryset[0].pk
            self.fields["manager"].queryset = staff_of(communities)
        else:
            del self.fields["community"]
            self.fields["manager"].queryset = staff_of(Community.objects.filter(pk=room.community_id))

    def clean(self):
        data = super().clean()
        manager, community = data.get("manager"), data.get("community")
        if manager is not None and community is not None:
            if not staff_of(Community.objects.filter(pk=community.pk)).filter(pk=manager.pk).exists():
                self.add_error("manager", "管理人应是本社区的工作人员。")
        return data

    def to_room(self) -> Room:
        """The room with what was typed (unsaved): the form's room edited, or a new one."""
        data = self.cleaned_data
        room = self.room or Room(community=data["community"])
        for name in PLAIN:
            setattr(room, name, data.get(name))
        room.sort = data.get("sort") or 0
        room.location, room.equipment = room.location or "", room.equipment or ""
        room.description = room.description or ""
        room.open_days = list(data["open_days"])
        room.bookable_by = list(data["bookable_by"])
        return room
