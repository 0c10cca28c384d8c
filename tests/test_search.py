"""Catalogue search on a small catalogue built here: long spoken questions, and years and other
numbers compared as whole tokens (2012 is not 2021)."""

from __future__ import annotations

import dataclasses

import pytest

from bot.evaluation import default_settings
from bot.knowledge import CatalogueItem
from bot.matching import Matcher
from bot.services.catalogue import CatalogueSearch

FIELDS = ("危险化学品", "烟花爆竹", "粉尘防爆", "职业卫生", "有限空间作业", "消防安全")
PLACES = ("中埠镇", "傅家镇", "马尚街道")
# Where the right year's title has other words than the query, and another year's the same.
# ASCII letters, digits and the hyphen as full-width forms (ＺＤＡＪ－03), as a Chinese keyboard types them.
FULL_WIDTH = {c: c + 0xFEE0 for c in range(0x21, 0x7F)}
ODD_ONES = {
    "关于开展2012年危险化学品安全检查的通知": "关于开展2012年危险化学品安全大检查的通知",
    "2012年度危险化学品监督检查计划": "2012年度危险化学品安全监督检查计划",
}


def titles() -> list[tuple[str, str]]:
    """A catalogue like the real ones: the same titles year after year, and month after month."""
    rows = []
    for year in range(2008, 2026):
        for field in FIELDS:
            rows.append((f"关于开展{year}年{field}安全检查的通知", f"{year}-03-01"))
            rows.append((f"{year}年度{field}监督检查计划", f"{year}-01-10"))
            rows.append((f"区安监局召开{year}年{field}部署会", f"{year}-02-08"))
            rows.append((f"关于开展{field}专项整治的通知", f"{year}-05-20"))  # the year is only its date
        for month in range(1, 13):
            rows.append((f"{year}年{month}月份全区职业卫生检查情况通报", f"{year}-{month:02d}-28"))
        for number in (15, 51):
            rows.append((f"关于转发《危险化学品安全管理条例》的通知（张安监发〔{year}〕{number}号）", f"{year}-06-01"))
        rows.append((f"区安监局{year}年政府信息公开工作年度报告", f"{year + 1}-03-15"))
    for place in PLACES:
        for field in FIELDS:
            rows.append((f"{place}召开{field}部署会", "2018-08-08"))
    return [(ODD_ONES.get(title, title), date) for title, date in rows]


@pytest.fixture(scope="module")
def small(knowledge) -> Matcher:
    catalogue = tuple(
        CatalogueItem(
            index_no=f"ZDAJ-03-{date[:4]}-{n:05d}",
            title=title,
            category="业务工作",
            column="公文公告",
            date=date,
            publisher="张店区安全生产监督管理局",
            summary="",
            link="",
        )
        for n, (title, date) in enumerate(titles(), 1)
    )
    return Matcher(dataclasses.replace(knowledge, catalogue=catalogue))


@pytest.fixture(scope="module")
def search(small) -> CatalogueSearch:
    return CatalogueSearch(small, default_settings())


def first(search: CatalogueSearch, q: str) -> CatalogueItem:
    result = search.search(q)
    assert result.hits, f"nothing found for {q!r} at the default cut-off"
    return result.hits[0].item


@pytest.mark.parametrize(
    "question,title",
    [
        ("我想找一下那个关于2012年危险化学品安全检查的通知在哪看啊", "关于开展2012年危险化学品安全大检查的通知"),
        ("请问有没有2015年度烟花爆竹监督检查计划这个文件，在哪下载", "2015年度烟花爆竹监督检查计划"),
        (
            "你们网站上是不是有个区安监局2016年政府信息公开工作年度报告，我怎么找不到了，在哪里能看到",
            "区安监局2016年政府信息公开工作年度报告",
        ),
        (
            "你好，我想找一下之前发过的那个傅家镇召开粉尘防爆部署会的消息，请问在哪里可以看到全文啊，谢谢",
            "傅家镇召开粉尘防爆部署会",
        ),
        # Words the matcher has no list for around the title: the title is still all in it.
        (
            "领导叫我赶紧把区安监局2012年政府信息公开工作年度报告打印出来交上去",
            "区安监局2012年政府信息公开工作年度报告",
        ),
    ],
)
def test_long_spoken_question_finds_the_title(search, question, title):
    assert first(search, question).title == title


@pytest.mark.parametrize("framed", ["我想看看{}", "我要查查{}", "我想找找{}"])
def test_a_verb_said_twice_is_the_frame_as_much_as_once(search, framed):
    title = "2015年度烟花爆竹监督检查计划"
    alone, asked = search.search(title).hits[0], search.search(framed.format(title)).hits[0]
    assert (asked.item, asked.score) == (alone.item, alone.score)


@pytest.mark.parametrize(
    "framed", ["有没有关于{}的文件", "查一下关于{}的", "帮我搜一下{}", "搜索{}", "{}方面你们公开了啥文件", "哪些{}"]
)
def test_about_and_search_are_the_frame_of_what_is_looked_up(search, framed):
    # 关于烟花爆竹 scored 0.6 against 烟花爆竹's 0.92: too little for the chat to list the documents.
    title = "2015年度烟花爆竹监督检查计划"
    alone, asked = search.search(title).hits[0], search.search(framed.format(title)).hits[0]
    assert (asked.item, asked.score) == (alone.item, alone.score)


def test_a_look_up_asked_about_a_topic_in_a_sentence_lists_the_documents(answerer):
    reply = answerer.answer("有没有关于烟花爆竹的文件")
    assert reply.outcome == "catalogue" and all("烟花爆竹" in h["title"] for h in reply.hits)


def test_document_names_are_read_from_a_question():
    from bot.matching import document_names

    assert document_names("你们局有没有公开过自己的信息公开工作制度和发布制度？想看看") == [
        "自己的信息公开工作制度",
        "信息公开工作制度",
        "发布制度",
    ]
    # The question's frame is no part of the name, before it or in the middle of it.
    assert document_names("你们发过关于烟花爆竹禁放区域的通知没") == ["烟花爆竹禁放区域的通知"]  # 关于 frames it
    assert document_names("过年前有没有发烟花爆竹经营的通知？") == ["烟花爆竹经营的通知"]
    assert document_names("应急预案在哪儿能看到") == ["应急预案"]
    assert document_names("指南在哪领") == []  # a kind of document alone names none
    assert document_names("申请要带啥材料") == []


@pytest.mark.parametrize(
    "query,title",
    [
        # The right year's title has other words (大检查, 安全监督): the year still decides.
        ("2012年危险化学品安全检查通知", "关于开展2012年危险化学品安全大检查的通知"),
        ("危险化学品安全检查的通知 2012", "关于开展2012年危险化学品安全大检查的通知"),
        ("2012危险化学品安全检查通知", "关于开展2012年危险化学品安全大检查的通知"),
        ("12年危险化学品安全检查的通知", "关于开展2012年危险化学品安全大检查的通知"),  # as it is said
        ("二〇一二年危险化学品安全检查的通知", "关于开展2012年危险化学品安全大检查的通知"),
        ("2012年度危险化学品监督检查计划", "2012年度危险化学品安全监督检查计划"),
        ("2021年危险化学品安全检查", "关于开展2021年危险化学品安全检查的通知"),
        ("21年烟花爆竹监督检查计划", "2021年度烟花爆竹监督检查计划"),
        ("2012区安监局召开消防安全部署会", "区安监局召开2012年消防安全部署会"),  # the year moved
        ("区安监局政府信息公开工作年度报告2021", "区安监局2021年政府信息公开工作年度报告"),
        ("张安监发〔2012〕15号", "关于转发《危险化学品安全管理条例》的通知（张安监发〔2012〕15号）"),
        ("张安监发〔2021〕15号", "关于转发《危险化学品安全管理条例》的通知（张安监发〔2021〕15号）"),
        (
            "危险化学品安全管理条例 张安监发2012 51号",
            "关于转发《危险化学品安全管理条例》的通知（张安监发〔2012〕51号）",
        ),
        ("2012年11月份职业卫生检查情况通报", "2012年11月份全区职业卫生检查情况通报"),
        ("4月份职业卫生检查情况通报 2012", "2012年4月份全区职业卫生检查情况通报"),  # 4 is not 11, nor 2014
    ],
)
def test_numbers_are_whole_tokens(search, query, title):
    assert first(search, query).title == title


@pytest.mark.parametrize("query,year", [("2012年粉尘防爆专项整治", "2012"), ("粉尘防爆专项整治 2021", "2021")])
def test_a_year_only_in_the_date_picks_the_item(search, query, year):
    item = first(search, query)
    assert item.title == "关于开展粉尘防爆专项整治的通知" and item.date.startswith(year)


@pytest.mark.parametrize("right,wrong", [("2012", "2021"), ("2012", "2013"), ("2021", "2012")])
def test_a_year_one_digit_off_scores_clearly_lower(small, right, wrong):
    hits = small.search(small.query(f"{right}年度烟花爆竹监督检查计划"), limit=30)
    scores = {h.item.title: h.score for h in hits}
    assert hits[0].item.title == f"{right}年度烟花爆竹监督检查计划"
    assert scores.get(f"{wrong}年度烟花爆竹监督检查计划", 0.0) <= 0.8 * hits[0].score


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "？？？",
        "😀",
        "0",
        "2012",
        "0000000000000000000000000000000000000012",
        "9" * 5000,  # more digits than int() takes from a string
        "我想找",
        "在哪看啊",
        "有没有",
        "<script>alert(1)</script>",
        "2012年" * 300,
        "危险化学品" * 400,
        "shenqing 2012 nian",
        "第1号 第2号 第3号 第4号 第5号 第6号 第7号 第8号 第9号 第10号",
    ],
)
def test_odd_input_does_not_crash(small, search, text):
    hits = small.search(small.query(text), limit=5)
    assert len(hits) <= 5
    assert all(0.0 <= h.score <= 1.0 for h in hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    search.search(text)


def test_an_empty_catalogue_finds_nothing(knowledge):
    matcher = Matcher(dataclasses.replace(knowledge, catalogue=()))
    assert matcher.search(matcher.query("2012年危险化学品")) == []


def test_a_restart_reads_the_catalogues_index_from_the_cache(small, tmp_path):
    # Built once with a cache folder, the index is saved; a matcher built again from the same
    # catalogue (a restart) reads it and searches exactly as the one that built it.
    knowledge = small.knowledge
    built = Matcher(knowledge, cache_dir=tmp_path)
    [saved] = tmp_path.glob("catalogue-*.npz")
    again = Matcher(knowledge, cache_dir=tmp_path)
    assert again._catalogue_index is not built._catalogue_index and again._titles == built._titles
    for text in ("2012年危险化学品安全检查", "马尚街道部署会", "张安监发〔2015〕51号", "职业卫生检查通报 3月", "烟花"):
        hits = [(h.item.index_no, round(h.score, 9)) for h in built.search(built.query(text), limit=10)]
        assert hits and hits == [
            (h.item.index_no, round(h.score, 9)) for h in again.search(again.query(text), limit=10)
        ]
    # A damaged file is built again, and replaced; another catalogue is another file.
    saved.write_bytes(b"not an index")
    mended = Matcher(knowledge, cache_dir=tmp_path)
    assert mended.search(mended.query("马尚街道部署会"), limit=1)[0].item.title.startswith("马尚街道召开")
    assert Matcher(knowledge, cache_dir=tmp_path)._read_catalogue(saved)
    fewer = dataclasses.replace(knowledge, catalogue=knowledge.catalogue[:-1])
    Matcher(fewer, cache_dir=tmp_path)
    assert len(list(tmp_path.glob("catalogue-*.npz"))) == 2


def test_words_only_a_summary_holds_find_its_item_below_a_title_that_has_them(answerer):
    # 一季度全区安全生产形势分析's summary counts 伤亡人数; no title has the words.
    [hit] = answerer.catalogue.search("伤亡人数").hits
    assert hit.item.title == "一季度全区安全生产形势分析" and hit.score < 0.75
    # A title that has them comes first.
    hits = answerer.catalogue.search("隐患排查").hits
    assert "隐患排查" in hits[0].item.title and hits[0].score > max(h.score for h in hits[1:])
    assert any("隐患排查" not in h.item.title for h in hits[1:])


def test_a_query_is_searched_on_its_first_characters_only(search):
    # A pasted megabyte took half a minute and half a gigabyte (gongkai search -), and was echoed.
    from bot.services.catalogue import MAX_QUERY_CHARS

    result = search.search("傅家镇召开粉尘防爆部署会" + "啊" * 3_000_000)
    assert len(result.as_json()["q"]) == MAX_QUERY_CHARS
    assert result.hits and result.hits[0].item.title == "傅家镇召开粉尘防爆部署会"


@pytest.mark.parametrize("typed", ["{}", "索引号 {} 是哪个文件"])
@pytest.mark.parametrize("spell", [str, str.lower, lambda n: n.replace("-", " "), lambda n: n.translate(FULL_WIDTH)])
def test_an_index_number_finds_its_document(small, search, typed, spell):
    # Every hit shows its index number, and citizens quote it back: that document, however typed.
    wanted = first(search, "2012年度烟花爆竹监督检查计划")
    assert [h.item for h in search.search(typed.format(spell(wanted.index_no))).hits] == [wanted]


@pytest.mark.parametrize("typed", ["ZDAJ-03-2012-99999", "2012-03-01", "危险化学品 2012"])
def test_what_is_no_index_number_of_the_catalogue_finds_by_its_words(search, typed):
    assert all(h.score < 1.0 for h in search.search(typed).hits)
