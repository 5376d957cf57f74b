"""The anonymiser (linli.core.anonymise): phones and ID numbers in any digit form, e-mail addresses, rooms and
every registry name are removed wherever they sit in Chinese text (property tests with hypothesis).

A number is "gone" when the output, read back as ASCII digits (Chinese numerals, circled and full-width digits
all turned into 0-9), holds no 7 digits in a row of it.
"""

from __future__ import annotations

import datetime
import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from linli.core.anonymise import Names, anonymise, ascii_digits, normalise

FILLER = "楼道灯坏了已修好居民反映下水道堵塞处理完毕，。的在门口电梯栋号单元室楼层联系电话邮箱身份证 "
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗钱"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华"

#: every way a digit may be written; index = the digit
FORMS = {
    "ascii": "0123456789",
    "wide": "０１２３４５６７８９",
    "cn": "〇一二三四五六七八九",
    "cn_zero": "零一二三四五六七八九",
    "cn_circle": "○幺二三四五六七八九",
    "cn_upper": "零壹贰叁肆伍陆柒捌玖",
    "cn_upper_trad": "零壹貳參肆伍陸柒捌玖",
    "circled": "⓪①②③④⑤⑥⑦⑧⑨",
    "parenthesised": "0⑴⑵⑶⑷⑸⑹⑺⑻⑼",
    "dotted": "🄀⒈⒉⒊⒋⒌⒍⒎⒏⒐",
    "dingbat": "⓿❶❷❸❹❺❻❼❽❾",
    "sans": "🄋➀➁➂➃➄➅➆➇➈",
    "math": "𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗",
    "superscript": "⁰¹²³⁴⁵⁶⁷⁸⁹",
}
TENS = {"circled": "⑩", "parenthesised": "⑽", "dotted": "⒑"}
SEPARATORS = ["", "", "", " ", "  ", "-", "－", "—", "–", ".", "·", " - ", "/", "(", ")", "（", "）", "、", "_"]


@st.composite
def mobiles(draw) -> str:
    rest = draw(st.lists(st.integers(0, 9), min_size=9, max_size=9))
    return "1" + str(draw(st.integers(3, 9))) + "".join(map(str, rest))


#: GB 11643 check-digit weights of an ID number's first 17 digits
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


@st.composite
def id_numbers(draw) -> str:
    born = draw(st.dates(datetime.date(1920, 1, 1), datetime.date(2020, 12, 31)))
    region = draw(st.sampled_from(["420107", "110101", "310104", "440305", "510107"]))
    first17 = f"{region}{born:%Y%m%d}{draw(st.integers(0, 999)):03d}"
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


@st.composite
def rendered(draw, number: str) -> str:
    """`number` with each digit in a random form (one form throughout, or mixed) and random separators."""
    mixed = draw(st.booleans())
    form = draw(st.sampled_from(sorted(FORMS)))
    out, i = [], 0
    while i < len(number):
        ch = number[i]
        if ch in "Xx":
            out.append(draw(st.sampled_from(["X", "x", "Ｘ"])))
            i += 1
            continue
        if mixed:
            form = draw(st.sampled_from(sorted(FORMS)))
        if number[i : i + 2] == "10" and form in TENS and draw(st.booleans()):
            out.append(TENS[form])
            i += 2
        else:
            out.append(FORMS[form][int(ch)])
            i += 1
        if i < len(number):
            out.append(draw(st.sampled_from(SEPARATORS)))
    return "".join(out)


def embed(draw, piece: str) -> str:
    before = draw(st.text(alphabet=FILLER, max_size=20))
    after = draw(st.text(alphabet=FILLER, max_size=20))
    return before + piece + after


def assert_number_gone(number: str, out: str) -> None:
    digits = re.sub(r"\D", "", ascii_digits(out))
    plain = number.upper().rstrip("X")
    for start in range(len(plain) - 6):
        assert plain[start : start + 7] not in digits, (number, out)


@settings(max_examples=400, deadline=None)
@given(data=st.data(), number=st.one_of(mobiles(), id_numbers()))
@example(data=None, number="13912345678")
def test_a_phone_or_id_number_in_any_digit_form_is_masked(data, number):
    if data is None:  # the note from the attack, as the handler wrote it
        text = "联系王某某，电话壹叁玖壹贰叁肆伍陆柒捌，邮箱 a@b.cn"
    else:
        text = (
            data.draw(st.text(FILLER, max_size=20))
            + data.draw(rendered(number))
            + data.draw(st.text(FILLER, max_size=20))
        )
    assert_number_gone(number, anonymise(text))


@pytest.mark.parametrize(
    "text",
    [
        "电话壹叁玖壹贰叁肆伍陆柒捌",
        "电话一三九一二三四五六七八",
        "电话①③⑨①②③④⑤⑥⑦⑧",
        "电话１３９-１２３４-５６７８",
        "电话 1三9 壹2③4 五⑥7８",
        "电话一三九 一二三四 五六七八",
        "电话（一三九）一二三四·五六七八",
        "电话139.1234.5678",
        "电话⑴⑶⑼⑴⑵⑶⑷⑸⑹⑺⑻",
        "电话𝟏𝟑𝟗𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖",
        "电话幺三九幺二三四五六七八",
    ],
)
def test_the_forms_named_in_the_finding_are_masked(text):
    out = anonymise(text)
    assert out.startswith("电话") and ("＊＊＊" in out or "某户" in out), out
    assert not re.search(r"\d", ascii_digits(out)), out


@pytest.mark.parametrize(
    "text, gone",
    [
        ("邮箱 a@b.cn", "a@b.cn"),
        ("邮箱wang.wu+x@mail.example.com.cn请联系", "example"),
        ("邮箱 wang_wu ＠ qq . com", "wang_wu"),
        ("邮箱ｗａｎｇ＠ｑｑ．ｃｏｍ", "qq"),
        ("邮箱13912345678@qq.com", "139"),
    ],
)
def test_e_mail_addresses_are_masked(text, gone):
    out = anonymise(text)
    assert gone not in normalise(out) and "@" not in normalise(out), out


@pytest.mark.parametrize(
    "text, kept",
    [
        ("2025年修好300米道路，①楼道灯已修，②路面已补", ["2025年", "300米", "楼道灯已修", "路面已补"]),
        ("一共三十二户，十五盏灯", ["三十二户", "十五盏灯"]),
        ("请拨打12345热线", ["热线"]),
    ],
)
def test_ordinary_numbers_stay(text, kept):
    out = anonymise(text)
    for k in kept:
        assert k in out, out


LOCAL = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789._+-", min_size=1, max_size=12)
LABEL = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=10)
TLD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=6)


@st.composite
def emails(draw) -> str:
    local = draw(LOCAL)
    domain = ".".join(draw(st.lists(LABEL, min_size=1, max_size=3))) + "." + draw(TLD)
    at = draw(st.sampled_from(["@", "＠", " @ ", "@ "]))
    dot = draw(st.sampled_from([".", "．", "."]))
    address = local + at + domain.replace(".", dot)
    if draw(st.booleans()):
        address = address.translate({c: c + 0xFEE0 for c in range(0x21, 0x7F) if chr(c) not in "@"})
    return address


@settings(max_examples=300, deadline=None)
@given(data=st.data(), address=emails())
def test_an_e_mail_address_in_chinese_text_is_masked(data, address):
    text = data.draw(st.text(FILLER, max_size=20)) + address + data.draw(st.text(FILLER, max_size=20))
    out = normalise(anonymise(text))
    assert "@" not in out, (text, out)
    # The filler is Chinese: any letter or digit left over came from the address.
    assert not re.search(r"[A-Za-z0-9]", out), (text, out)


REGISTRY = st.lists(
    st.builds(lambda s, g: s + g, st.sampled_from(SURNAMES), st.text(alphabet=GIVEN, min_size=1, max_size=2)),
    min_size=1,
    max_size=30,
    unique=True,
)


@settings(max_examples=300, deadline=None)
@given(data=st.data(), registry=REGISTRY)
def test_any_registry_name_of_the_community_is_masked(data, registry):
    name = data.draw(st.sampled_from(registry))
    shown = data.draw(st.sampled_from([name, " ".join(name), name[0] + " " + name[1:]]))
    text = data.draw(st.text(FILLER, max_size=20)) + shown + data.draw(st.text(FILLER, max_size=20))
    out = anonymise(text, Names(registry))
    assert name not in "".join(out.split()), (text, out)


def test_a_large_registry_is_read_once_and_matched_quickly():
    registry = Names(f"{s}{g}{h}" for s in SURNAMES for g in GIVEN for h in GIVEN)  # 11,000 names
    assert len(registry.names) > 10_000
    line = "已联系" + "刘伟芳" + "处理，" * 100
    for _ in range(200):
        out = anonymise(line, registry)
    assert "刘伟芳" not in out and "处理" in out


@pytest.mark.parametrize(
    "text, gone",
    [
        ("住3单元502室，楼道灯坏了", ["502", "3单元"]),
        ("502室楼上漏水", ["502"]),
        ("5-2-502下水道堵塞", ["502"]),
        ("住三单元五〇二室，楼道灯坏了", ["五〇二", "三单元"]),
        ("住③单元⑤⓪②室，楼道灯坏了", ["502", "⑤⓪②"]),
        ("５－２－５０２下水道堵塞", ["502", "５０２"]),
        ("住伍〇贰室", ["伍〇贰"]),
    ],
)
def test_room_numbers_in_any_digit_form_are_masked(text, gone):
    out = anonymise(text)
    for g in gone:
        assert g not in out and g not in ascii_digits(out), out


@pytest.mark.parametrize(
    "text, gone, kept",
    [
        ("3栋2单元502楼道灯不亮", ["502", "2单元"], ["3栋", "楼道灯"]),
        ("5号楼301门口积水", ["301"], ["5号楼", "门口积水"]),
        ("502室楼上漏水", ["502"], ["楼上漏水"]),
        ("3-2-502下水道堵塞", ["502"], ["下水道堵塞"]),
        ("电话：138-0000-1111", ["1111", "138"], ["电话"]),
        ("联系 (027) 8765 4321", ["8765", "4321"], ["联系"]),
        ("身份证420107195003050011已核实", ["4201071950"], ["身份证", "已核实"]),
        ("身份证42010719500305001X", ["42010719500305001", "X"], ["身份证"]),
        ("手机１３８００００１１１１", ["１３８", "1111"], ["手机"]),
        ("2025年修好300米道路，3栋10户", ["502"], ["2025年", "300米", "3栋"]),
    ],
)
def test_the_anonymiser_removes_phones_ids_and_rooms(text, gone, kept):
    out = anonymise(text)
    for g in gone:
        assert g not in out, out
    for k in kept:
        assert k in out, out


#: for the mixed-insertion property: two-character surnames too, and a filler without words that announce a number
SUMMARY_SURNAMES = SURNAMES + "欧阳"
SUMMARY_FILLER = "楼道灯坏了已修好居民反映下水道堵塞处理完毕，。的在门口电梯栋号单元室楼层 "

names = st.builds(
    lambda s, g: s + g, st.sampled_from(SUMMARY_SURNAMES), st.text(alphabet=GIVEN, min_size=1, max_size=2)
)


@st.composite
def phones(draw):
    digits = (
        "1"
        + draw(st.sampled_from("3456789"))
        + "".join(draw(st.lists(st.sampled_from("0123456789"), min_size=9, max_size=9)))
    )
    style = draw(st.sampled_from(["plain", "space", "dash", "wide", "landline", "id"]))
    if style == "space":
        shown = f"{digits[:3]} {digits[3:7]} {digits[7:]}"
    elif style == "dash":
        shown = f"{digits[:3]}-{digits[3:7]}-{digits[7:]}"
    elif style == "wide":
        shown = digits.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    elif style == "landline":
        digits = "027" + digits[3:11]
        shown = f"({digits[:3]}){digits[3:7]}-{digits[7:]}"
    elif style == "id":
        digits = "4201" + digits + "123"
        shown = digits[:17] + draw(st.sampled_from(["X", "0", "x"]))
    else:
        shown = digits
    return shown, digits


@st.composite
def rooms(draw):
    b, e = draw(st.integers(1, 30)), draw(st.integers(1, 6))
    r = draw(st.integers(1, 28)) * 100 + draw(st.integers(1, 4))
    shown = draw(
        st.sampled_from([f"{b}栋{e}单元{r}", f"{b}号楼{r}", f"{r}室", f"{e}单元{r}", f"{b}-{e}-{r}", f"{b}栋{r}室"])
    )
    return shown, str(r)


def insert_all(base: str, pieces, where) -> str:
    """`pieces` put into `base` at the positions `where` (taken modulo its length), never inside each other."""
    spots = sorted((at % (len(base) + 1), i) for i, at in enumerate(where))
    out, last = [], 0
    for at, i in spots:
        out.append(base[last:at] + pieces[i])
        last = at
    return "".join(out) + base[last:]


def _longest_digit_run(text: str) -> int:
    return max((len(m) for m in re.findall(r"\d+", text)), default=0)


@settings(max_examples=300, deadline=None)
@given(
    base=st.text(alphabet=SUMMARY_FILLER, max_size=40),
    name=names,
    phone=phones(),
    room=rooms(),
    where=st.tuples(st.integers(0, 60), st.integers(0, 60), st.integers(0, 60)),
)
# Found by this test: a dashed phone glued to a dashed room left "-101" behind.
@example(base="处", name="王丽", phone=("130-0000-0000", "13000000000"), room=("1-1-101", "101"), where=(0, 0, 0))
# Found by this test: a phone glued to an entrance (130000000001单元101) took the entrance number and left "101".
@example(base="", name="王丽", phone=("13000000000", "13000000000"), room=("1单元101", "101"), where=(0, 0, 0))
# Found by this test: after 层 the room's 1号楼 lost its 号 to the floor, and "101元" was left as a price.
@example(base="。层元。", name="王丽", phone=("13000000000", "13000000000"), room=("1号楼101", "101"), where=(0, 0, 27))
def test_the_anonymiser_never_lets_a_name_phone_or_room_through(base, name, phone, room, where):
    text = insert_all(base, [name, phone[0], room[0]], where)
    out = anonymise(text, [name])
    assert name not in out
    assert phone[1] not in re.sub(r"\D", "", out)
    assert _longest_digit_run(out) < 7
    assert room[0] not in out and room[1] not in out


@pytest.mark.parametrize(
    "text, kept",
    [
        ("1栋、2栋屋面防水", "1栋、2栋屋面防水"),
        ("3栋、4栋、5栋加装电梯", "3栋、4栋、5栋加装电梯"),
        ("12栋，13栋", "12栋，13栋"),
        ("三栋、四栋", "三栋、四栋"),
        ("1号楼、2号楼1单元302漏水", "1号楼、2号楼漏水"),
    ],
)
def test_a_list_of_buildings_keeps_every_building(text, kept):
    # the number of the next building in a list is not a room of the one before it (1栋、2栋 once became 1栋栋)
    assert anonymise(text) == kept


@pytest.mark.parametrize(
    "text",
    ["1栋12月7日8:00至18:00停水", "3栋8:00起停电", "2号楼10日起加装电梯", "5栋9点开会"],
)
def test_a_date_or_time_after_a_building_is_not_taken_for_a_room(text):
    assert anonymise(text) == text
