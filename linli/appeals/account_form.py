"""承办机构 on the account form (linli.accounts.forms.FORM_EXTENSIONS): a new 部门承办人 is linked to the
organisation whose appeals they handle when the account is made, so their queue is not empty on first login."""

from django import forms

from linli.appeals.services_directory import handler_organisations_for, set_handler_organisations

FIELD = "organisations"


class HandlerOrganisationsField:
    def contribute(self, form, manager, instance) -> None:
        if not manager.has_role_perm("unit.manage"):
            return
        offered = handler_organisations_for(manager).filter(is_active=True).select_related("street")
        if instance is not None:
            offered = offered | handler_organisations_for(manager).filter(handlers=instance)
        if not offered.exists():
            return
        form.fields[FIELD] = forms.ModelMultipleChoiceField(
            label="承办机构",
            queryset=offered.distinct().order_by("street__code", "name"),
            required=False,
            widget=forms.SelectMultiple(attrs={"size": 5}),
            help_text="部门承办人选择其所在的承办机构，派给该机构的诉求才会出现在他的待办里。",
        )
        if instance is not None:
            form.initial[FIELD] = list(
                handler_organisations_for(manager).filter(handlers=instance).values_list("pk", flat=True)
            )

    def save(self, form, account, actor) -> None:
        if FIELD in form.fields:
            set_handler_organisations(account, form.cleaned_data.get(FIELD) or [], actor=actor)
