from django.core.exceptions import ValidationError


def attach_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError onto the form: on the field it names, else on the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
