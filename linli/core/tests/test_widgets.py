from django import forms

from linli.core.widgets import FastSelect


def test_fast_select_renders_the_same_markup_as_django():
    choices = [("", "---------"), ("1", "a<b"), ("2", "二")]
    for value in ["2", None, ""]:
        a = forms.Select(choices=choices).render("x", value, {"id": "id_x"})
        b = FastSelect(choices=choices).render("x", value, {"id": "id_x"})
        norm = lambda h: "".join(h.split())
        assert norm(a) == norm(b), (a, b)
