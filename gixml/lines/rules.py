"""The rules: a line labelled by its tokens and its shape; the baseline the model must beat.

:class:`RuleLabeller` answers the :class:`~gixml.lines.labels.Labeller`
interface with hand-written rules. Each rule states how sure it is (one of
the ``RULE_*`` levels of ``confidence.py``); the cascade (``cascade.py``) lets
the rules decide a line where they are at least ``confidence.RULE_THRESHOLD``
sure and asks the trained classifier about the rest.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from .. import confidence as conf
from .labels import Decision, LineLabel, as_proba
from .normalise import Line
from .tokenise import Token, has_cjk

PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–―_]+\s*\d{1,3}\s*[-—–―_]+|第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?|\d{1,3}\s*/\s*\d{1,3})\s*$"
)
# Web and print furniture: breadcrumbs, footers, page fields ("发布时间：…"), share
# and print buttons. Two patterns, the anchored ones matched at the start only:
# one alternation of both kinds is three times slower to search.
_FURNITURE_ANYWHERE = re.compile(
    r"当前位置|网站标识码|ICP备|公网安备|联系电话[:：]|分享到|打印本页|关闭窗口|页面链接|字体[:：]?\s*[大中小]"
)
_FURNITURE_START = re.compile(
    r"\s*(?:主办[:：]|承办[:：]|(?:发布时间|来源|时间|标题|文号|栏目|原文链接|本地目录|发布机构|索引号|录入)\s*[:：]|"
    r"首页|上一篇|下一篇|附件下载|相关链接)|={3,}"
)


def is_furniture(text: str) -> bool:
    """Whether a line is web or print furniture rather than report text."""
    return bool(_FURNITURE_ANYWHERE.search(text) or _FURNITURE_START.match(text))


SENTENCE = re.compile(r"[。；;！？]")
_TITLE = re.compile(r"年度?报告\s*$|工作年度报告|^\s*\d{4}\s*年\s*$")


class RuleLabeller:
    """Labels lines by their tokens and shape; the baseline a model must beat."""

    def predict_one(self, line: Line, tokens: Sequence[Token]) -> tuple[LineLabel, float]:
        text = line.text.strip()
        if not text:
            return LineLabel.BLANK, conf.RULE_CERTAIN
        if PAGE_NUMBER.match(text):
            return LineLabel.NOISE, conf.RULE_SURE
        label_chars = text_chars = n_rows = n_values = 0
        has_table_labels = is_heading = has_text = False
        for t in tokens:  # one pass over the tokens
            kind = t.kind
            if kind == "text":
                text_chars += t.end - t.start
                has_text = True
            elif kind == "value" or kind == "blank":
                n_values += 1
            else:  # a label
                label_chars += t.end - t.start
                if kind == "row" or kind == "group":
                    n_rows += 1
                    has_table_labels = True
                elif kind == "column" or kind == "note":
                    has_table_labels = True
                else:
                    is_heading = True  # section, subtable
        has_values = n_values > 0
        sentence = bool(SENTENCE.search(text))
        tabbed = "\t" in line.text
        if (
            (has_table_labels or is_heading)
            and has_values
            and label_chars >= 2
            and (n_rows >= 2 or (not sentence and (tabbed or label_chars >= text_chars or n_values >= 3)))
        ):
            # a row, or a whole table glued into one line: keep its values
            return LineLabel.ROW, conf.RULE_STRONG
        if not has_table_labels and is_furniture(text):
            return LineLabel.NOISE, conf.RULE_STRONG
        if is_heading and not has_values and text_chars <= 12 and not sentence:
            return LineLabel.HEADING, conf.RULE_SURE
        if has_table_labels and not has_values:
            if sentence or text_chars > max(24, label_chars):
                return LineLabel.PROSE, conf.RULE_LIKELY
            return LineLabel.LABEL, conf.RULE_SURE
        if has_values and not has_text:
            if n_values == 1 and re.fullmatch(r"[1-9]\d{0,2}", text):
                return LineLabel.NUMBER, conf.RULE_UNSURE  # one small number alone: a cell, or a page number (never 0)
            return LineLabel.NUMBER, conf.RULE_SURE
        if has_values and text_chars <= 6 and not sentence:
            return LineLabel.NUMBER, conf.RULE_GUESS
        if n_values >= 3 and not sentence:
            return LineLabel.ROW, conf.RULE_UNSURE  # values after a fragment of a wrapped row label
        if _TITLE.search(text) and len(text) <= 40 and not sentence:
            return LineLabel.HEADING, conf.RULE_LIKELY
        if not sentence and len(text) <= 16 and has_cjk(text):
            return LineLabel.LABEL, conf.RULE_GUESS  # a fragment of a broken label ("本年新", "计其他情形）")
        if sentence and len(text) >= 20 and not has_table_labels and not (is_heading and has_values):
            return LineLabel.PROSE, conf.RULE_SURE  # a sentence with no label of the form (a section title alone at most)
        return LineLabel.PROSE, conf.RULE_DEFAULT

    def label(self, lines: Sequence[Line], tokens: Sequence[Sequence[Token]]) -> list[Decision]:
        return [(*self.predict_one(line, toks), "rule") for line, toks in zip(lines, tokens)]

    def predict_proba(self, lines: Sequence[Line], tokens: Sequence[Sequence[Token]]) -> list[dict[LineLabel, float]]:
        return [as_proba(*self.predict_one(line, toks)) for line, toks in zip(lines, tokens)]

    def predict(self, lines: Sequence[Line], tokens: Sequence[Sequence[Token]]) -> list[LineLabel]:
        return [self.predict_one(line, toks)[0] for line, toks in zip(lines, tokens)]
