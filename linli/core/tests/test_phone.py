import pytest
from hypothesis import given
from hypothesis import strategies as st

from linli.core.phone import PhoneError, last4, mask_phone, normalize_phone

MOBILE_ERROR = "手机号码格式不正确，应为11位，以1开头"
LANDLINE_ERROR = "电话号码格式不正确"


@pytest.mark.parametrize(
    "raw",
    [
        "13812345678",
        "138 1234 5678",
        "138-1234-5678",
        "+86 138 1234 5678",
        "+86-13812345678",
        "(+86)13812345678",
        "008613812345678",
        "8613812345678",
        "１３８１２３４５６７８",
        "１３８\u3000１２３４\u3000５６７８",
        "＋８６　138－1234－5678",
    ],
)
def test_it_normalises_mobile_numbers_to_11_digits(raw):
    assert normalize_phone(raw) == "13812345678"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("027-87654321", "027-87654321"),
        ("02787654321", "027-87654321"),
        ("(027)87654321", "027-87654321"),
        ("（027）8765 4321", "027-87654321"),
        ("027-8765-4321", "027-87654321"),
        ("010-62345678", "010-62345678"),
        ("0731-2345678", "0731-2345678"),
        ("0755 23456789", "0755-23456789"),
        ("０２７－８７６５４３２１", "027-87654321"),
        ("+86 27 87654321", "027-87654321"),
        ("+86 10 62345678", "010-62345678"),
        ("0086-755-23456789", "0755-23456789"),
    ],
)
def test_it_normalises_landlines_to_area_code_dash_number(raw, expected):
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["027-87654321-123", "027-87654321转123", "027 87654321 转 123", "(027)8765-4321转123"],
)
def test_it_keeps_a_landline_extension(raw):
    assert normalize_phone(raw) == "027-87654321-123"


@pytest.mark.parametrize("raw", ["", "   ", "\u3000", None])
def test_it_treats_empty_input_as_no_phone(raw):
    assert normalize_phone(raw) == ""


@pytest.mark.parametrize(
    "raw",
    ["1381234567", "138123456789", "12812345678", "10012345678", "1381234567a", "+86 1381234567"],
)
def test_it_rejects_a_malformed_mobile_number(raw):
    with pytest.raises(PhoneError) as exc:
        normalize_phone(raw)
    assert str(exc.value) == MOBILE_ERROR


def test_it_rejects_a_mobile_number_with_an_extension():
    with pytest.raises(PhoneError, match="手机号码"):
        normalize_phone("13812345678转123")


@pytest.mark.parametrize(
    "raw",
    [
        "87654321",  # no area code
        "027-876543",  # too short
        "027-876543210",  # too long
        "011-62345678",  # no such area code
        "000-62345678",
        "027-07654321",  # local numbers never start with 0
        "027-87654321转",
        "027-87654321转abc",
        "027-87654321-1234567",
        "+1 202 555 0100",
        "027 87654321 ext 5",
        "abc",
    ],
)
def test_it_rejects_a_malformed_landline(raw):
    with pytest.raises(PhoneError) as exc:
        normalize_phone(raw)
    assert str(exc.value) == LANDLINE_ERROR


def test_the_error_is_a_value_error():
    with pytest.raises(ValueError):
        normalize_phone("abc")


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13812345678", "138****5678"),
        ("027-87654321", "027-****4321"),
        ("0731-2345678", "0731-***5678"),
        ("027-87654321-123", "027-****4321"),
        ("+86 138 1234 5678", "138****5678"),
        ("", ""),
    ],
)
def test_it_masks_the_middle_of_a_number(phone, masked):
    assert mask_phone(phone) == masked


def test_it_still_masks_an_invalid_legacy_value():
    assert mask_phone("5551234") == "***1234"
    assert mask_phone("12") == "**"


@pytest.mark.parametrize(
    ("phone", "digits"),
    [
        ("13812345678", "5678"),
        ("027-87654321", "4321"),
        ("027-87654321-123", "4321"),
        ("027-87654321转99", "4321"),
        ("", ""),
    ],
)
def test_last4_gives_the_last_4_digits_without_the_extension(phone, digits):
    assert last4(phone) == digits


mobiles = st.builds(
    lambda second, rest: f"1{second}{rest:09d}",
    st.sampled_from("3456789"),
    st.integers(0, 10**9 - 1),
)
landlines = st.builds(
    lambda area, local, ext: f"{area}-{local}" + (f"-{ext}" if ext else ""),
    st.sampled_from(["010", "021", "027", "0731", "0755", "0991"]),
    st.one_of(st.integers(2_000_000, 9_999_999), st.integers(20_000_000, 99_999_999)).map(str),
    st.one_of(st.just(""), st.integers(1, 999_999).map(str)),
)


@given(st.one_of(mobiles, landlines))
def test_normalising_is_idempotent(phone):
    assert normalize_phone(phone) == phone
    assert normalize_phone(normalize_phone(phone)) == phone


@given(mobiles, st.sampled_from(["", "+86", "0086", "86", "+86-", "(+86) "]))
def test_any_mobile_with_a_country_code_normalises_to_itself(mobile, prefix):
    spaced = f"{mobile[:3]} {mobile[3:7]} {mobile[7:]}"
    assert normalize_phone(prefix + spaced) == mobile


@given(st.one_of(mobiles, landlines))
def test_masking_keeps_only_the_last_4_digits_visible(phone):
    masked = mask_phone(phone)
    assert masked.endswith(last4(phone))
    assert "***" in masked
    assert len(last4(phone)) == 4


@given(st.text(max_size=30))
def test_arbitrary_input_either_normalises_or_raises_a_friendly_error(raw):
    try:
        result = normalize_phone(raw)
    except PhoneError as exc:
        assert str(exc) in (MOBILE_ERROR, LANDLINE_ERROR)
    else:
        assert result == "" or normalize_phone(result) == result
