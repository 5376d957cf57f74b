from django import forms
from django.core.exceptions import ValidationError

from linli.core.params import parse_id


def attach_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError onto the form: on the field it names, else on the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A multi-select of rows by id that refuses ids no database key can be ('²', 10**30) as an invalid choice.

    Django's own field looks such values up with `pk__in`, which SQLite answers with an OverflowError (a 500).
    """

    def _check_values(self, value):
        if self.to_field_name in (None, "pk", "id"):
            for pk in value if isinstance(value, (list, tuple, set, frozenset)) else ():
                if parse_id(pk) is None:
                    raise ValidationError(
                        self.error_messages["invalid_choice"], code="invalid_choice", params={"value": pk}
                    )
        return super()._check_values(value)
