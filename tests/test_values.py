"""Reading one printed cell."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gixml.lines.values import Parsed, header_unit, parse_value

_FULL_WIDTH = str.maketrans("0123456789+-", "０１２３４５６７８９＋－")


@pytest.mark.parametrize(
    ("printed", "value", "unit"),
    [
        ("＋30", 30, None),
        ("+30", 30, None),
        ("＋３０", 30, None),
        ("-18", -18, None),
        ("－18", -18, None),
        ("\u221218", -18, None),
        ("78104.6元", 78104.6, "元"),
        ("45.82万元", 45.82, "万元"),
        ("2笔", 2, "笔"),
        ("984361元", 984361, "元"),
        ("15.281", 15.281, None),
        ("3360", 3360, None),
        ("  35 ", 35, None),
        ("0", 0, None),
    ],
)
def test_numbers(printed, value, unit):
    parsed = parse_value(printed)
    assert parsed is not None
    assert parsed.value == value
    assert type(parsed.value) is type(value)
    assert parsed.unit == unit


def test_zero_is_a_value_not_a_blank():
    parsed = parse_value("0")
    assert parsed == Parsed(value=0, unit=None, digits="0")
    assert parsed.value is not None
    assert parsed.value == 0


def test_digits_keep_the_printed_digits():
    assert parse_value("＋30").digits == "30"
    assert parse_value("-18").digits == "18"
    assert parse_value("45.82万元").digits == "45.82"
    assert parse_value("007").digits == "007"


def test_ints_stay_int_and_decimals_float():
    assert type(parse_value("224").value) is int
    assert type(parse_value("-5").value) is int
    assert type(parse_value("78104.6").value) is float
    assert type(parse_value("0.0").value) is float
    assert type(parse_value("272.13").value) is float


@pytest.mark.parametrize("printed", ["/", "／", "—", "–", "―", "-", "－", "_", "\\", "——", "--", "---", " / "])
def test_blank_markers_are_a_blank_cell(printed):
    assert parse_value(printed) == Parsed(value=None, unit=None, digits="")


@pytest.mark.parametrize("printed", ["", "   ", "\u00a0", "\u3000"])
def test_empty_text_is_not_a_cell(printed):
    assert parse_value(printed) is None


@pytest.mark.parametrize(
    "printed",
    ["2020年", "abc", "1,234", "3.", ".5", "+-3", "1e5", "----", "一", "4位", "35%", "2021-01-14", "10个百分点"],
)
def test_text_is_not_a_cell(printed):
    assert parse_value(printed) is None


@pytest.mark.parametrize(
    ("header", "unit"),
    [
        ("采购总金额（单位：万元，保留4位小数）", "万元"),
        ("本年收费金额（单位：万元）", "万元"),
        ("采购总金额(单位:元)", "元"),
        ("采购总金额（单位：亿元）", "亿元"),
        ("采购总金额", None),
        ("采购项目数量", None),
    ],
)
def test_header_unit(header, unit):
    assert header_unit(header) == unit


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=-10**15, max_value=10**15))
def test_round_trip_int(n):
    parsed = parse_value(str(n))
    assert parsed is not None
    assert parsed.value == n
    assert type(parsed.value) is int
    assert parsed.unit is None


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=-10**15, max_value=10**15))
def test_round_trip_int_full_width(n):
    printed = str(n).translate(_FULL_WIDTH)
    assert parse_value(printed).value == n
    if n >= 0:
        assert parse_value("＋" + printed).value == n


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=0, max_value=99), st.sampled_from(["", "元", "万元"]))
def test_round_trip_amount(whole, cents, unit):
    printed = f"{whole}.{cents:02d}{unit}"
    parsed = parse_value(printed)
    assert parsed.value == pytest.approx(float(f"{whole}.{cents:02d}"))
    assert type(parsed.value) is float
    assert parsed.unit == (unit or None)


def test_a_digit_run_too_long_for_a_cell_is_not_one():
    from gixml.lines.values import MAX_DIGITS

    assert parse_value("7" * MAX_DIGITS).value == int("7" * MAX_DIGITS)
    assert parse_value("7" * (MAX_DIGITS + 1)) is None
    assert parse_value("+" + "7" * (MAX_DIGITS + 1)) is None
    assert parse_value("7" * 5000) is None  # Python reads no int of over 4,300 digits
