"""Form fields for photo uploads; the rules (count, size, format) live in services.attach_photos."""

from django import forms


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True

    def __init__(self, attrs=None):
        # No `capture` attribute: on Android it opens the camera only, and a worker often picks photos taken
        # earlier. Without it, phones offer both the camera and the gallery.
        super().__init__({"accept": "image/*", **(attrs or {})})


class MultiplePhotoField(forms.FileField):
    """Zero or more image files from one <input type=file multiple>; cleans to a list."""

    widget = MultiplePhotoInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultiplePhotoField, self).clean(d, initial) for d in data if d]
        cleaned = super().clean(data, initial)
        return [cleaned] if cleaned else []
