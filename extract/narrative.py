"""Figures stated in the narrative (第三部分 情况说明): amounts, shares and changes against last year.

The narrative repeats table figures in sentences (`上年结转50.00万元，占6.51%`,
`比上年减少8.38万元，下降1.95%`); each becomes a mention the warehouse checks
against the tables and against itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.pdf.document import PageInfo
from extract.text import normalize

_AMOUNT = re.compile(
    r"(?P<subject>[^，,。；;：:、\s\d]{0,40}?)\s*(?:预算数为|预算为|共计|为|是)?\s*"
    r"(?P<amount>\d[\d,]*(?:\.\d+)?)\s*(?P<unit>亿元|万元|千元|元)"
)
_SHARE = re.compile(r"^[，,]?\s*占[^\d]{0,12}?(?P<share>\d+(?:\.\d+)?)\s*%")
_CHANGE = re.compile(
    r"^[，,]?\s*比上年(?:预算)?(?P<direction>增加|减少|增长|下降|持平)"
    r"(?:(?P<delta>\d[\d,]*(?:\.\d+)?)\s*(?P<delta_unit>亿元|万元|千元|元))?"
    r"(?:[，,]?\s*(?:增长|下降|增加|减少)(?P<pct>\d+(?:\.\d+)?)\s*%)?"
)
_SENTENCE_END = re.compile(r"[。]")  # a share's base (…其中：) carries across ；
_SECTION = re.compile(r"第[三3]部分|情况说明|预算说明|决算说明")


@dataclass(frozen=True)
class NarrativeMention:
    page: int
    sentence_index: int
    subject: str  # the words right before the amount (基本工资, 上年结转, …)
    amount_text: str
    unit: str
    base_amount_text: str | None  # the sentence's leading amount a share (占 x%) is taken of
    base_unit: str | None
    share_pct: str | None
    change_direction: str | None  # 增加 / 减少 / 增长 / 下降 / 持平
    change_amount_text: str | None
    change_unit: str | None
    change_pct: str | None
    sentence: str


def narrative_mentions(pages: list[PageInfo], table_pages: set[int]) -> list[NarrativeMention]:
    """Every amount stated in the narrative pages (pages without tables, from the 说明 part on)."""
    started = False
    mentions: list[NarrativeMention] = []
    sentence_index = 0
    for page in pages:
        if page.number in table_pages:
            continue
        # Lines wrap mid-word (拨款收\n入717.78): join them without a separator.
        text = normalize(page.text.replace("\r", "").replace("\n", ""))
        started = started or bool(_SECTION.search(text))
        if not started:
            continue
        for sentence in _SENTENCE_END.split(text):
            sentence_index += 1
            mentions.extend(_mentions_in(sentence.strip(), page.number, sentence_index))
    return mentions


def _mentions_in(sentence: str, page: int, sentence_index: int) -> list[NarrativeMention]:
    found: list[NarrativeMention] = []
    base: tuple[str, str] | None = None
    for match in _AMOUNT.finditer(sentence):
        rest = sentence[match.end() :]
        share = _SHARE.match(rest)
        change = _CHANGE.match(rest)
        if _is_change_amount(sentence, match.start("amount")):
            continue  # the change itself (比上年减少8.38万元), read with the figure it follows
        amount = match.group("amount").replace(",", "")
        # The base of the shares that follow is the amount right before 其中 (…2940.05万元，其中：…).
        following = sentence[match.end() :]
        next_amount = _AMOUNT.search(following)
        if "其中" in following[: next_amount.start() if next_amount else len(following)]:
            base = (amount, match.group("unit"))
        found.append(
            NarrativeMention(
                page=page,
                sentence_index=sentence_index,
                subject=_subject(match.group("subject")),
                amount_text=amount,
                unit=match.group("unit"),
                base_amount_text=base[0] if base and share else None,
                base_unit=base[1] if base and share else None,
                share_pct=share.group("share") if share else None,
                change_direction=change.group("direction") if change else None,
                change_amount_text=(change.group("delta") or "").replace(",", "") or None if change else None,
                change_unit=change.group("delta_unit") if change else None,
                change_pct=change.group("pct") if change else None,
                sentence=sentence[:300],
            )
        )
    return found


def _is_change_amount(sentence: str, start: int) -> bool:
    before = sentence[max(0, start - 8) : start].rstrip()
    return bool(re.search(r"(增加|减少|增长|下降)$", before))


_SUBJECT_NOISE = re.compile(
    r"^(?:[.、)）]|年度?|\([一二三四五六七八九十\d]+\)|其中|主要包括|包括|收入包括|支出包括)+"
)


def _subject(text: str) -> str:
    """The named item: enumerations, a cut-off year (2023年) and lead words removed."""
    return _SUBJECT_NOISE.sub("", text).strip()
