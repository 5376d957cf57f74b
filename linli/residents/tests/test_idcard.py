from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linli.residents.idcard import (
    IdCard,
    IdNumberError,
    age_on,
    check_digit,
    make_id_number,
    mask_id_number,
    parse_id_number,
)

TODAY = date(2024, 6, 1)
VALID = "11010519491231002X"


def test_it_accepts_a_known_valid_number():
    card = parse_id_number(VALID, today=TODAY)
    assert card == IdCard(number=VALID, birth_date=date(1949, 12, 31), sex="F", region_code="110105")


def test_it_computes_the_iso_7064_check_digit():
    assert check_digit("11010519491231002") == "X"
    # Weighted sum 176, 176 % 11 == 0 -> "1".
    assert check_digit("44030419900101001") == "1"


def test_check_digit_refuses_anything_but_17_digits():
    for bad in ("", "1101051949123100", "110105194912310021", "1101051949123100X"):
        with pytest.raises(ValueError):
            check_digit(bad)


def test_it_rejects_a_wrong_check_digit():
    with pytest.raises(IdNumberError) as exc:
        parse_id_number("110105194912310021", today=TODAY)
    assert str(exc.value) == "身份证号码校验位不正确"


@pytest.mark.parametrize(
    "raw",
    [
        "11010519491231002x",
        " 110105 19491231 002X ",
        "110105\u300019491231002X",
        "１１０１０５１９４９１２３１００２Ｘ",
        "１１０１０５１９４９１２３１００２ｘ",
        "\t11010519491231002X\n",
    ],
)
def test_it_normalises_spaces_full_width_characters_and_lower_case_x(raw):
    assert parse_id_number(raw, today=TODAY).number == VALID


def test_it_converts_a_15_digit_legacy_number():
    card = parse_id_number("110105491231002", today=TODAY)
    # "19" is inserted before the year and the check digit computed.
    assert card.number == "11010519491231002X"
    assert card.birth_date == date(1949, 12, 31)
    assert card.sex == "F"


def test_a_legacy_number_takes_its_sex_from_the_last_digit():
    assert parse_id_number("110105491231001", today=TODAY).sex == "M"


@pytest.mark.parametrize("raw", ["", "   ", "12345", "1101051949123100", "1101051949123100212"])
def test_it_rejects_a_wrong_length(raw):
    with pytest.raises(IdNumberError) as exc:
        parse_id_number(raw, today=TODAY)
    assert str(exc.value) in ("身份证号码应为18位（或15位旧号码）", "请输入身份证号码")


def test_it_asks_for_a_number_when_the_input_is_empty():
    with pytest.raises(IdNumberError, match="请输入身份证号码"):
        parse_id_number("  ", today=TODAY)


@pytest.mark.parametrize("raw", ["1101051949123100A2", "11010519491231-02X", "X1010519491231002X", "11010549123100X"])
def test_it_rejects_letters_other_than_a_final_x(raw):
    with pytest.raises(IdNumberError) as exc:
        parse_id_number(raw, today=TODAY)
    assert str(exc.value) == "身份证号码只能包含数字，最后一位可以是X"


@pytest.mark.parametrize("birth", ["19900230", "19901301", "19900000", "19000229"])
def test_it_rejects_a_birth_date_that_does_not_exist(birth):
    first17 = "110105" + birth + "123"
    with pytest.raises(IdNumberError) as exc:
        parse_id_number(first17 + check_digit(first17), today=TODAY)
    assert str(exc.value) == "身份证号码中的出生日期不存在"


def test_it_accepts_february_29_in_a_leap_year():
    number = make_id_number("110105", date(2000, 2, 29), 1, "M")
    assert parse_id_number(number, today=TODAY).birth_date == date(2000, 2, 29)


def test_it_rejects_a_birth_date_in_the_future():
    number = make_id_number("110105", date(2024, 6, 2), 1, "M")
    with pytest.raises(IdNumberError) as exc:
        parse_id_number(number, today=TODAY)
    assert str(exc.value) == "出生日期不能晚于今天"


def test_it_accepts_a_baby_born_today():
    number = make_id_number("110105", TODAY, 1, "F")
    assert parse_id_number(number, today=TODAY).birth_date == TODAY


def test_it_rejects_a_birth_date_before_1900():
    first17 = "110105" + "18991231" + "123"
    with pytest.raises(IdNumberError, match="1900"):
        parse_id_number(first17 + check_digit(first17), today=TODAY)


@pytest.mark.parametrize("region", ["010105", "910105"])
def test_it_rejects_region_codes_starting_with_0_or_9(region):
    first17 = region + "19491231002"
    with pytest.raises(IdNumberError, match="地区代码"):
        parse_id_number(first17 + check_digit(first17), today=TODAY)


def test_it_uses_the_current_date_when_today_is_not_given():
    assert parse_id_number(VALID).birth_date == date(1949, 12, 31)
    with pytest.raises(IdNumberError, match="晚于今天"):
        parse_id_number(make_id_number("110105", date(9999, 1, 1), 0, "M"))


def test_the_error_is_a_value_error():
    with pytest.raises(ValueError):
        parse_id_number("nope", today=TODAY)


def test_it_masks_the_middle_of_a_number():
    assert mask_id_number(VALID) == "110105********002X"
    assert parse_id_number(VALID, today=TODAY).masked == "110105********002X"
    assert mask_id_number("110105491231002") == "110105*****1002"


def test_it_masks_all_but_the_last_4_of_anything_else():
    assert mask_id_number("AB1234567") == "*****4567"
    assert mask_id_number("1234") == "****"
    assert mask_id_number("") == ""


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        (date(1990, 5, 10), date(2024, 5, 9), 33),
        (date(1990, 5, 10), date(2024, 5, 10), 34),
        (date(2000, 2, 29), date(2023, 2, 28), 22),
        (date(2000, 2, 29), date(2023, 3, 1), 23),
        (date(2000, 2, 29), date(2024, 2, 29), 24),
        (date(2024, 1, 1), date(2024, 1, 1), 0),
    ],
)
def test_it_counts_age_in_full_years(birth, on, age):
    assert age_on(birth, on) == age


def test_age_refuses_a_date_before_birth():
    with pytest.raises(ValueError):
        age_on(date(2000, 1, 2), date(2000, 1, 1))


def test_it_makes_a_number_with_the_given_parts():
    number = make_id_number("110105", date(1949, 12, 31), 0, "F")
    assert number.startswith("1101051949123100")
    assert int(number[16]) % 2 == 0
    assert number[17] == check_digit(number[:17])


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [
        (("11010", date(1990, 1, 1), 1, "M"), {}),
        (("010105", date(1990, 1, 1), 1, "M"), {}),
        (("110105", date(1990, 1, 1), 100, "M"), {}),
        (("110105", date(1990, 1, 1), -1, "M"), {}),
        (("110105", date(1990, 1, 1), 1, "X"), {}),
    ],
)
def test_make_id_number_refuses_bad_arguments(args, kwargs):
    with pytest.raises(ValueError):
        make_id_number(*args, **kwargs)


def test_make_id_number_gives_200_distinct_numbers_per_region_and_birthday():
    birth = date(1980, 7, 1)
    numbers = {make_id_number("320102", birth, seq, sex) for seq in range(100) for sex in "MF"}
    assert len(numbers) == 200


regions = st.sampled_from(["110105", "320102", "440304", "510107", "650102", "820000"])
births = st.dates(min_value=date(1900, 1, 1), max_value=TODAY)
sexes = st.sampled_from(["M", "F"])
sequences = st.integers(min_value=0, max_value=99)


@given(regions, births, sequences, sexes)
def test_every_made_number_parses_back_to_the_same_birth_date_and_sex(region, birth, seq, sex):
    number = make_id_number(region, birth, seq, sex)
    card = parse_id_number(number, today=TODAY)
    assert card.number == number
    assert card.birth_date == birth
    assert card.sex == sex
    assert card.region_code == region
    assert card.masked == number[:6] + "********" + number[-4:]


@given(regions, births, sequences, sexes, st.integers(0, 17), st.data())
def test_changing_one_character_never_parses_to_the_same_number(region, birth, seq, sex, position, data):
    number = make_id_number(region, birth, seq, sex)
    alphabet = "0123456789X" if position == 17 else "0123456789"
    replacement = data.draw(st.sampled_from([c for c in alphabet if c != number[position]]))
    changed = number[:position] + replacement + number[position + 1 :]
    try:
        card = parse_id_number(changed, today=TODAY)
    except IdNumberError:
        return
    assert card.number != number


@given(regions, st.dates(min_value=date(1900, 1, 1), max_value=date(1999, 12, 31)), sexes)
def test_a_legacy_number_converts_to_a_valid_18_digit_number(region, birth, sex):
    legacy = f"{region}{birth:%y%m%d}12{1 if sex == 'M' else 2}"
    card = parse_id_number(legacy, today=TODAY)
    assert card.number == parse_id_number(card.number, today=TODAY).number
    assert card.number[:6] + card.number[8:17] == legacy
    assert (card.birth_date, card.sex) == (birth, sex)


@given(st.text(max_size=25))
def test_arbitrary_input_either_parses_or_raises_a_friendly_error(raw):
    try:
        card = parse_id_number(raw, today=TODAY)
    except IdNumberError as exc:
        assert str(exc)
    else:
        assert len(card.number) == 18
