"""Receipt layout: column widths, Chinese line breaking, and the exact ESC/POS bytes."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devices.printers.encoding import receipt_job
from devices.printers.receipt import (
    CLOSING_PUNCTUATION,
    OPENING_PUNCTUATION,
    Receipt,
    char_width,
    layout_receipt,
    text_width,
    wrap,
)

CST = timezone(timedelta(hours=8))


def make_receipt(**changes: object) -> Receipt:
    fields: dict[str, object] = {
        "title": "老年优待证申领",
        "lines": (
            ("姓名", "张*"),
            ("证件号码", "2301**********001X"),
            ("办理地点", "黑龙江省哈尔滨市南岗区某某街道社区服务中心三楼，工作日办理。"),
        ),
        "tracking_number": "K0451-20261121-0042-7",
        "qr_payload": "https://gov.example/s/K0451-20261121-0042-7",
        "notes": ("请妥善保管本回执，凭受理编号查询办理进度。",),
        "printed_at": datetime(2026, 11, 21, 14, 3, 5, tzinfo=CST),
        "kiosk_id": "K0451",
    }
    fields.update(changes)
    return Receipt(**fields)  # type: ignore[arg-type]


def test_char_width_counts_cjk_and_chinese_punctuation_as_two_columns() -> None:
    assert [char_width(c) for c in "A1 -"] == [1, 1, 1, 1]
    assert [char_width(c) for c in "老䶮，（）"] == [2, 2, 2, 2, 2]
    # Ambiguous-width punctuation is printed from the CJK font in Chinese mode.
    assert [char_width(c) for c in "—…“·"] == [2, 2, 2, 2]
    assert text_width("张*2301") == 7


def test_wrap_breaks_chinese_between_characters_at_the_column_limit() -> None:
    assert wrap("一二三四五六七八", 10) == ["一二三四五", "六七八"]


def test_wrap_moves_a_character_along_rather_than_start_a_line_with_a_comma() -> None:
    # A naive break gives "一二三四五" / "，六七": a line starting with a comma.
    assert wrap("一二三四五，六七", 10) == ["一二三四", "五，六七"]
    assert wrap("一二三四五。", 10) == ["一二三四", "五。"]


def test_wrap_keeps_a_stray_comma_after_a_space_with_the_word_before_it() -> None:
    assert wrap("abcd ，efgh", 8) == ["abcd ，", "efgh"]


def test_wrap_keeps_opening_bracket_with_the_following_character() -> None:
    assert wrap("一二三四（五）", 10) == ["一二三四", "（五）"]


def test_wrap_never_splits_a_dash_pair_or_a_latin_word() -> None:
    assert wrap("一二三——四", 8) == ["一二三", "——四"]
    assert wrap("受理编号 K0451-20261121-0042-7", 24) == ["受理编号", "K0451-20261121-0042-7"]


def test_wrap_splits_a_word_longer_than_a_line_by_characters() -> None:
    assert wrap("x" * 20, 8) == ["x" * 8, "x" * 8, "x" * 4]


def test_wrap_returns_one_empty_line_for_empty_text() -> None:
    assert wrap("", 32) == [""]


_token = st.one_of(
    st.sampled_from("老年优待证申领䶮张王社区服务中心办理"),
    st.tuples(st.sampled_from("老年证䶮办"), st.sampled_from(sorted("，。、；：？！）」》"))).map(
        "".join
    ),
    st.tuples(st.sampled_from("（「《“"), st.sampled_from("老年证办")).map("".join),
    st.text("abcXYZ019-", min_size=1, max_size=6),
    st.just(" "),
    st.just("——"),
)


@settings(max_examples=300, deadline=None)
@given(tokens=st.lists(_token, max_size=40), width=st.integers(min_value=8, max_value=48))
def test_wrap_fits_width_loses_nothing_and_obeys_line_breaking_rules(
    tokens: list[str], width: int
) -> None:
    text = "".join(tokens)
    lines = wrap(text, width)
    assert all(text_width(line) <= width for line in lines)
    assert all(line[:1] not in CLOSING_PUNCTUATION for line in lines if line)
    assert all(line[-1:] not in OPENING_PUNCTUATION for line in lines if line)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


@pytest.mark.parametrize(("width_mm", "columns"), [(58, 32), (80, 48)])
def test_layout_fits_every_line_into_the_paper_columns(width_mm: int, columns: int) -> None:
    lines = layout_receipt(make_receipt(), width_mm)  # type: ignore[arg-type]
    for line in lines:
        if line.kind == "text":
            assert text_width(line.text) * (2 if line.double_width else 1) <= columns, line
    rules = [line.text for line in lines if line.text.startswith("-")]
    assert rules and all(rule == "-" * columns for rule in rules)


def test_layout_title_comes_first_centred_bold_and_double_height() -> None:
    first = layout_receipt(make_receipt(), 58)[0]
    assert (first.text, first.align, first.bold, first.double_height) == (
        "老年优待证申领",
        "center",
        True,
        True,
    )


def test_layout_aligns_values_in_one_column_and_indents_continuations() -> None:
    lines = [line.text for line in layout_receipt(make_receipt(), 58)]
    assert "姓名：    张*" in lines
    assert "证件号码：2301**********001X" in lines
    place = lines.index("办理地点：黑龙江省哈尔滨市南岗区")
    assert lines[place + 1].startswith(" " * 10) and not lines[place + 1].startswith(" " * 11)


def test_layout_prints_tracking_number_large_and_whole() -> None:
    narrow = [ln for ln in layout_receipt(make_receipt(), 58) if ln.text.startswith("K0451")]
    wide = [ln for ln in layout_receipt(make_receipt(), 80) if ln.text.startswith("K0451")]
    # 21 characters: double width only fits 48 columns, double height always.
    assert [(ln.text, ln.double_width, ln.double_height) for ln in narrow] == [
        ("K0451-20261121-0042-7", False, True)
    ]
    assert [(ln.text, ln.double_width, ln.double_height) for ln in wide] == [
        ("K0451-20261121-0042-7", True, True)
    ]


def test_layout_carries_qr_payload_notes_time_and_kiosk() -> None:
    lines = layout_receipt(make_receipt(), 80)
    assert [ln.text for ln in lines if ln.kind == "qr"] == [
        "https://gov.example/s/K0451-20261121-0042-7"
    ]
    texts = [ln.text for ln in lines]
    assert "请妥善保管本回执，凭受理编号查询办理进度。" in texts
    assert "打印时间：2026-11-21 14:03:05" in texts
    assert "终端编号：K0451" in texts


def test_layout_rejects_an_unsupported_paper_width() -> None:
    with pytest.raises(ValueError, match="76"):
        layout_receipt(make_receipt(), 76)  # type: ignore[arg-type]


def test_receipt_rejects_a_naive_print_time() -> None:
    with pytest.raises(ValueError, match="timezone"):
        make_receipt(printed_at=datetime(2026, 11, 21, 14, 3))


def test_job_bytes_for_a_small_receipt_match_python_escpos_commands() -> None:
    receipt = Receipt(
        title="回执",
        lines=(("姓名", "张*"),),
        tracking_number="K1-2",
        qr_payload="u",
        notes=(),
        printed_at=datetime(2026, 11, 21, 14, 3, 5, tzinfo=CST),
        kiosk_id="K1",
    )
    esc, gs = b"\x1b", b"\x1d"

    def cn(text: str) -> bytes:
        return b"\x1c&" + text.encode("gb18030") + b"\x1c." + b"\n"

    rule = b"-" * 32 + b"\n"
    normal = gs + b"!\x00" + esc + b"E\x00"
    expected = b"".join(
        [
            esc + b"@",
            gs + b"!\x01" + esc + b"E\x01" + esc + b"a\x01",  # title: 1x2, bold, centred
            cn("回执"),
            normal + esc + b"a\x00",
            rule,
            cn("姓名：张*"),
            rule,
            esc + b"a\x01",
            cn("受理编号"),
            gs + b"!\x11" + esc + b"E\x01",  # tracking number: 2x2, bold
            b"K1-2\n",
            normal,
            b"\n",  # a blank line around the QR code: its quiet zone
            gs + b"(k\x04\x001A2\x00",  # QR model 2
            gs + b"(k\x03\x001C\x06",  # module size 6 dots
            gs + b"(k\x03\x001E1",  # error correction M
            gs + b"(k\x04\x001P0u",  # store payload
            gs + b"(k\x03\x001Q0",  # print
            b"\n",
            esc + b"a\x00",
            rule,
            cn("打印时间：2026-11-21 14:03:05"),
            cn("终端编号：K1"),
            esc + b"d\x06" + gs + b"V\x00",  # feed and cut
        ]
    )
    assert receipt_job(receipt, 58) == expected


def test_job_sends_rare_characters_and_lone_punctuation_as_gb18030() -> None:
    job = receipt_job(make_receipt(lines=(("姓名", "王䶮"), ("备注", "（——）"))), 58)
    assert b"\x1c&" + "姓名：王䶮".encode("gb18030") + b"\x1c." in job
    assert b"\x1c&" + "备注：（——）".encode("gb18030") + b"\x1c." in job
    assert b"?" not in job.replace(b"https://gov.example/s/", b"")


def test_layout_prints_the_query_code_under_the_tracking_number() -> None:
    for width in (58, 80):
        lines = layout_receipt(make_receipt(query_code="38161952"), width)  # type: ignore[arg-type]
        texts = [ln.text for ln in lines]
        number = next(i for i, t in enumerate(texts) if t.startswith("K0451"))
        assert texts[number + 1] == "查询码：38161952" and lines[number + 1].bold
    without = [ln.text for ln in layout_receipt(make_receipt(), 58)]
    assert not any("查询码" in t for t in without)  # records from before query codes


def test_the_query_code_stays_out_of_the_receipt_repr() -> None:
    receipt = make_receipt(query_code="38161952",
                           qr_payload="https://gov.example/s/K0451-20261121-0042-7?code=38161952")
    assert "38161952" not in repr(receipt) and "K0451-20261121-0042-7" in repr(receipt)
