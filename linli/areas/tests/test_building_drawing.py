from types import SimpleNamespace

from linli.areas.templatetags.buildings import floor_rows


def test_room_cells_escape_what_people_typed():
    tag = SimpleNamespace(name="<独居>")
    room = SimpleNamespace(pk=7, room='5"02<', people=1, color="red", tag_list=[tag])
    html = floor_rows([{"floor": 5, "rooms": [room]}])
    assert "<独居>" not in html and "&lt;独居&gt;" in html
    assert "5&quot;02&lt;" in html
    assert 'href="/areas/households/7/"' in html and 'class="room occupied c-red"' in html


def test_floor_rows_draw_the_badges_escaped_with_the_label_in_the_title():
    room = SimpleNamespace(
        pk=7, room="502", people=1, color="", tag_list=[], marks=[("党员中心户<李>", "party-centre")]
    )
    html = floor_rows([{"floor": 5, "rooms": [room]}])
    assert '<span class="mark party-centre">党</span>' in html
    assert "· 党员中心户&lt;李&gt;" in html and "<李>" not in html
