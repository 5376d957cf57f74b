"""Bulk actions on rows ticked in a list: which ids were chosen, and that every one of them is the user's.

A bulk action takes the ids of the ticked rows (`ids`, one value per checkbox), refuses the whole request when
any of them lies outside the user's scope (or no longer exists) — a row is never silently skipped — and asks
for confirmation naming the count before a service changes anything (see core/bulk_confirm.html).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

from linli.core.params import parse_ids

#: more rows than a person can check on one confirmation page is a mistake, not a bulk action
MAX_SELECTED = 500


def selected_ids(data, name: str = "ids") -> list[int]:
    """The ticked ids, in the order given, each once; a bad value refuses the request (ValidationError)."""
    raw = [v for v in data.getlist(name) if str(v).strip()]
    ids = list(dict.fromkeys(parse_ids(raw)))
    if len(parse_ids(raw)) != len(raw):
        raise ValidationError("所选条目中有无效的编号，没有做任何更改。")
    if not ids:
        raise ValidationError("请先勾选要处理的条目。")
    if len(ids) > MAX_SELECTED:
        raise ValidationError(f"一次最多处理{MAX_SELECTED}条，请分批操作。")
    return ids


def all_in_scope(queryset, ids: list[int], noun: str = "条") -> list:
    """The rows of `queryset` (already restricted to the user and action) with these ids, in the given order.

    Any id the queryset does not hold refuses the whole selection with PermissionDenied, so that nothing changes.
    """
    rows = {row.pk: row for row in queryset.filter(pk__in=ids)}
    missing = [i for i in ids if i not in rows]
    if missing:
        raise PermissionDenied(f"所选的{len(missing)}{noun}不在您的管辖范围内或已不存在，没有做任何更改。")
    return [rows[i] for i in ids]


class BulkActionView:
    """POST the ticked ids (and the action's own fields) here: the first POST shows a confirmation naming the
    count, the second (confirm=1) runs the service and returns to the list with a message.

    Subclasses (with ScopedMixin) set `list_url_name`, `noun` and `title`, and define `rows(ids)` (the scoped
    rows, via all_in_scope), `clean(data)` (the action's own fields; ValidationError when bad), `question(rows,
    params)` and `perform(rows, params)` (calls the service, returns the message).
    """

    list_url_name = ""
    noun = "条"
    title = "批量操作"
    confirm_label = "确认"
    #: POST fields carried from the first step to the second
    carried: tuple[str, ...] = ()
    #: rows named on the confirmation page
    shown = 50

    def back_url(self) -> str:
        from django.http import QueryDict
        from django.urls import reverse

        query = QueryDict(self.request.POST.get("back", ""), mutable=True)
        query.pop("page", None)  # the rows just changed may have left the page
        text = query.urlencode()
        return reverse(self.list_url_name) + (f"?{text}" if text else "")

    def describe(self, row) -> str:
        return str(row)

    def detail(self, rows, params) -> str:
        return ""

    def post(self, request, *args, **kwargs):
        from django.contrib import messages
        from django.shortcuts import redirect, render

        try:
            ids = selected_ids(request.POST)
            params = self.clean(request.POST)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return redirect(self.back_url())
        rows = self.rows(ids)
        if request.POST.get("confirm") != "1":
            hidden = [("ids", r.pk) for r in rows]
            hidden += [(name, request.POST.get(name, "")) for name in self.carried]
            hidden.append(("back", request.POST.get("back", "")))
            return render(
                request,
                "core/bulk_confirm.html",
                {
                    "title": self.title,
                    "question": self.question(rows, params),
                    "detail": self.detail(rows, params),
                    "items": [self.describe(r) for r in rows[: self.shown]],
                    "more": max(0, len(rows) - self.shown),
                    "hidden": hidden,
                    "action_url": request.path,
                    "back_url": self.back_url(),
                    "confirm_label": self.confirm_label,
                },
            )
        try:
            message = self.perform(rows, params)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, message)
        return redirect(self.back_url())
