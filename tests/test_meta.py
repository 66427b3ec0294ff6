"""Metadata: organization, year and publication date from heads and tails of reports."""
from __future__ import annotations

import pytest

import gixml
from gixml.meta import extract_meta
from gixml.records import Meta

BODY = [
    "",
    "一、总体情况",
    "2020年，我单位认真贯彻落实《中华人民共和国政府信息公开条例》，现将有关情况报告如下。",
    "二、主动公开政府信息情况",
    "规章\t0\t0\t0",
    "五、存在的主要问题及改进情况",
    "宣传力度有待提高。",
    "六、其他需要报告的事项",
    "无。",
    "",
]


def meta(head: list[str], tail: list[str] = ()) -> Meta:
    return extract_meta([*head, *BODY, *tail])


def test_title_on_one_line():
    m = meta(["天津市北辰区小淀镇人民政府2020年政府信息公开工作年度报告"])
    assert m.organization == "天津市北辰区小淀镇人民政府"
    assert m.year == 2020
    assert m.published is None


@pytest.mark.parametrize(
    ("title", "org", "year"),
    [
        ("北海街道办事处2020年政府信息公开工作年度报告", "北海街道办事处", 2020),
        ("某某县人民政府2021年度政府信息公开工作年度报告", "某某县人民政府", 2021),
        ("某某县人民政府 2022 年政府信息公开工作年度报告", "某某县人民政府", 2022),
        ("某某县人民政府\u30002022年政府信息公开工作年度报告", "某某县人民政府", 2022),
        ("关于某某县人民政府2021年政府信息公开工作年度报告", "某某县人民政府", 2021),
        ("某某县发展和改革委员会2021年政务公开工作年度报告", "某某县发展和改革委员会", 2021),
    ],
)
def test_title_variants(title, org, year):
    m = meta(["", title])
    assert (m.organization, m.year) == (org, year)


@pytest.mark.parametrize(
    "head",
    [
        ["南安市省新镇2020年", "政府信息公开工作年度报告"],
        ["南安市省新镇", "2020年政府信息公开工作年度报告"],
        ["南安市省新镇2020年", "", "政府信息公开工作年度报告"],
    ],
)
def test_title_split_over_two_lines(head):
    m = meta(["南省政〔2021〕9号", *head])
    assert m.organization == "南安市省新镇"
    assert m.year == 2020


def test_title_field_of_a_web_page():
    m = meta(["标题: 上海市黄浦区人民政府2023年度政府信息公开工作年度报告", "发布时间: 2024-03-08 15:34"])
    assert m.organization == "上海市黄浦区人民政府"
    assert m.year == 2023
    assert m.published == "2024-03-08"


@pytest.mark.parametrize("sep", [":", "：", " : "])
def test_title_field_separators(sep):
    m = meta([f"标题{sep}某某区人民政府2023年度政府信息公开工作年度报告"])
    assert (m.organization, m.year) == ("某某区人民政府", 2023)


def test_signature_and_date_at_the_end():
    m = meta(
        ["天津市北辰区小淀镇人民政府2020年政府信息公开工作年度报告"],
        ["", "                         天津市北辰区小淀镇人民政府", "                              2021年1月14日"],
    )
    assert m.organization == "天津市北辰区小淀镇人民政府"
    assert m.year == 2020
    assert m.published == "2021-01-14"


def test_signature_completes_the_title_name():
    m = meta(["小淀镇人民政府2020年政府信息公开工作年度报告"], ["天津市北辰区小淀镇人民政府", "2021年1月14日"])
    assert m.organization == "天津市北辰区小淀镇人民政府"
    m = meta(["南安市省新镇2020年", "政府信息公开工作年度报告"], ["省新镇人民政府", "2021年1月8日"])
    assert m.organization == "南安市省新镇人民政府"
    assert m.published == "2021-01-08"


@pytest.mark.parametrize(
    ("date", "iso"),
    [
        ("2021年1月14日", "2021-01-14"),
        ("2021 年 1 月 14 日", "2021-01-14"),
        ("2021年01月08日", "2021-01-08"),
        ("2022-01-20", "2022-01-20"),
    ],
)
def test_signature_date_forms(date, iso):
    m = meta(["某某县人民政府2021年政府信息公开工作年度报告"], ["某某县人民政府", date])
    assert m.published == iso


def test_full_width_signature_date():
    m = meta(["某某县人民政府2021年政府信息公开工作年度报告"], ["某某县人民政府", "２０２２年１月２０日"])
    assert m.published == "2022-01-20"


def test_full_width_year_in_the_title():
    m = meta(["某某县人民政府２０２１年政府信息公开工作年度报告"])
    assert (m.organization, m.year) == ("某某县人民政府", 2021)


def test_signature_and_date_on_one_line():
    m = meta(["某某街道办事处2020年政府信息公开工作年度报告"], ["某某街道办事处 2021年1月14日"])
    assert m.published == "2021-01-14"


def test_impossible_date_is_not_a_date():
    m = meta(["某某县人民政府2021年政府信息公开工作年度报告"], ["某某县人民政府", "2022年13月20日"])
    assert m.published is None


def test_web_page_date_when_there_is_no_signature_date():
    m = meta(["某某街道办事处2020年政府信息公开工作年度报告", "发布时间: 2024-03-08 15:34"])
    assert m.published == "2024-03-08"
    assert (m.organization, m.year) == ("某某街道办事处", 2020)


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("发布时间:2021-01-26 15:34", "2021-01-26"),
        ("发布时间：2021年1月26日", "2021-01-26"),
        ("发布日期: 2021/01/26", "2021-01-26"),
        ("发布时间:2021-01-26 \u00a0 录入:雁江区丹山镇人民政府", "2021-01-26"),
    ],
)
def test_web_page_date_forms(line, iso):
    assert meta(["某某镇人民政府2020年政府信息公开工作年度报告", line]).published == iso


def test_signature_date_wins_over_the_web_page_date():
    m = meta(
        ["某某街道办事处2020年政府信息公开工作年度报告", "发布时间: 2024-03-08 15:34"],
        ["某某街道办事处", "2021年1月14日"],
    )
    assert m.published == "2021-01-14"


def test_page_furniture_before_the_title():
    m = meta(
        [
            "雁江区丹山镇人民政府",
            "政府信息公开",
            "当前位置:首页\u00a0>\u00a0政府信息公开年报",
            "资阳市雁江区丹山镇政府2020年政府信息公开工作年度报告",
            "发布时间:2021-01-26 \u00a0 录入:雁江区丹山镇人民政府",
        ]
    )
    assert m.organization == "资阳市雁江区丹山镇政府"
    assert m.year == 2020
    assert m.published == "2021-01-26"


def test_year_from_the_statistics_period_without_a_title():
    m = meta(["本报告统计期限为2020年1月1日至2020年12月31日。"])
    assert m.year == 2020
    assert m.organization is None


def test_nothing_stated():
    assert meta(["年度报告正文"]) == Meta(None, None, None)


def test_meta_through_extract():
    text = "\n".join(
        ["天津市北辰区小淀镇人民政府2020年政府信息公开工作年度报告", *BODY, "天津市北辰区小淀镇人民政府", "2021年1月14日"]
    )
    m = gixml.extract_text(text).to_dict()["meta"]
    assert m == {"organization": "天津市北辰区小淀镇人民政府", "year": 2020, "published": "2021-01-14"}


# ------------------------------------------------ issue 17: titles, dates and signatures as converters print them


@pytest.mark.parametrize(
    "head",
    [
        ["2021 年白圩镇人民政府政府信息公开工作年", "度报告"],  # the year first, wrapped (pdfplumber)
        ["白圩镇人民政府", "2021", "年白圩镇人民政府政府信息公开工", "作年度报告"],  # over three lines
        ["正文", "2021 年白圩镇人民政府政府信息公开", "工作年度报告"],
    ],
)
def test_title_with_the_year_first_and_wrapped(head):
    meta = extract_meta(head + ["一、总体情况", "（一）主动公开。2021年，我镇主动公开政府信息 664条。"])
    assert (meta.organization, meta.year) == ("白圩镇人民政府", 2021)


def test_a_title_cited_in_book_title_marks_is_not_the_reports():
    meta = extract_meta(["济宁市司法局", "2020", "年济宁市司法局政府信息公开工作年度报告",
                         "本报告依据《条例》和《济宁市人民政府办公室关于做好 2020 年度",
                         "政府信息公开工作年度报告编制发布工作的通知》要求编制。"])
    assert (meta.organization, meta.year) == ("济宁市司法局", 2020)
    only_cited = extract_meta(["本报告依据《济宁市人民政府办公室关于做好2020年度政府信息公开工作年度报告编制发布工作的通知》编制。"])
    assert only_cited.organization is None


def test_the_generic_words_after_the_year_are_not_a_body():
    assert extract_meta(["2020年度政府信息公开工作年度报告"]).organization is None


@pytest.mark.parametrize(("date", "iso"), [("二〇二一年三月十二日", "2021-03-12"), ("二〇二〇年十二月三十一日", "2020-12-31"),
                                           ("二〇二一年一月二十日", "2021-01-20"), ("二零二一年十月一日", "2021-10-01")])
def test_a_signature_date_in_chinese_numerals(date, iso):
    meta = extract_meta(["某某县人民政府2020年政府信息公开工作年度报告", "六、其他需要报告的事项", "无。", "某某县人民政府", date])
    assert meta.published == iso


def test_the_signature_ending_a_web_page_glued_on_one_line():
    line = ("六、其他需要报告的事项无其他需要报告事项。 平潭综合实验区财政金融局 2020年1月2日 附件下载")
    meta = extract_meta(["平潭综合实验区财政金融局2019年度政府信息公开工作年度报告 根据《条例》……" + line,
                         "发布时间:", "2020-01-06"])
    assert meta.published == "2020-01-02"
    assert extract_meta(["某某县人民政府2020年政府信息公开工作年度报告", "六、其他需要报告的事项无 某某县人民政府 2021年1月8日"]
                        ).published == "2021-01-08"


def test_a_title_in_markdown_bold_pieces():
    """html2text and markdownify keep LibreOffice's runs as bold pieces: **某镇人民政府****2020****年…报告**."""
    meta = extract_meta(["**天津市北辰区小淀镇人民政府****2020****年政府信息公开工作年度报告**", "", "**一、总体情况**"])
    assert (meta.organization, meta.year) == ("天津市北辰区小淀镇人民政府", 2020)
