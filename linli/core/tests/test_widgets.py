from django import forms

from linli.core.widgets import FastSelect


def test_fast_select_renders_the_same_markup_as_django():
    choices = [("", "---------"), ("1", "a<b"), ("2", "二")]
    for value in ["2", None, ""]:
        a = forms.Select(choices=choices).render("x", value, {"id": "id_x"})
        b = FastSelect(choices=choices).render("x", value, {"id": "id_x"})
        norm = lambda h: "".join(h.split())
        assert norm(a) == norm(b), (a, b)


def test_fast_select_matches_django_with_groups_multiple_and_attributes():
    grouped = [("", "全部"), ("社区甲", [(1, "1栋"), (2, "2栋 & 附楼")]), (3, "三")]
    cases = [
        (forms.Select, FastSelect, grouped, "2", {"id": "id_b", "required": True, "data-x": 'a"b'}),
        (forms.Select, FastSelect, grouped, None, {}),
        (forms.Select, FastSelect, [("1", "a"), ("1", "b")], "1", {}),  # only the first match is selected
    ]

    class FastMultiple(FastSelect):
        allow_multiple_selected = True

    cases.append((forms.SelectMultiple, FastMultiple, grouped, ["1", "3"], {"id": "id_m"}))
    norm = lambda h: "".join(h.split())
    for django_widget, fast_widget, choices, value, attrs in cases:
        a = django_widget(choices=choices).render("b", value, attrs)
        b = fast_widget(choices=choices).render("b", value, attrs)
        assert norm(a) == norm(b), (a, b)
