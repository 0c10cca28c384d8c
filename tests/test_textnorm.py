import pytest

from bot.textnorm import Normalizer, pinyin_of, split_pinyin


@pytest.fixture(scope="module")
def norm() -> Normalizer:
    return Normalizer(
        {"资讯": "信息", "讯息": "信息", "安监局": "安全生产监督管理局"},
        ["请问", "我想问一下", "吗", "呢"],
    )


@pytest.mark.parametrize(
    "text,expected",
    [
        ("２００９年公开了多少条", "2009年公开了多少条"),  # full-width digits
        ("申请\u3000公开", "申请公开"),  # ideographic space
        ("申请 \t公开\n", "申请公开"),  # every kind of white space
        ("申請政府資訊公開", "申请政府信息公开"),  # t2s gives 资讯, the synonym gives 信息
        ("请问，收费吗？！", "收费"),  # fillers and punctuation of both widths
        ("我想问一下安监局的电话呢", "安全生产监督管理局的电话"),  # synonym, longest filler first
        ("ＡＢＣ　ｄｅｆ", "abc def"),  # Latin words keep one space between them
        ("《条例》第33条", "条例第33条"),
        ("😀😀", ""),
    ],
)
def test_normalize(norm, text, expected):
    assert norm.normalize(text) == expected


def test_normalize_many_equals_normalize_each(norm):
    texts = ["申請政府資訊公開", "２００９年", "请问收费吗", ""]
    assert norm.normalize_many(texts) == [norm.normalize(t) for t in texts]


@pytest.mark.parametrize(
    "run,expected",
    [
        ("shenqing", ["shen", "qing"]),
        ("xian", ["xian"]),  # fewest syllables, as an input method reads it
        ("shenqinggongkai", ["shen", "qing", "gong", "kai"]),
        ("lv", ["lv"]),
        ("ok", None),
        ("qqq", None),
    ],
)
def test_split_pinyin(run, expected):
    assert split_pinyin(run) == expected


def test_homophones_share_sound_not_characters(norm):
    right, typo = norm.units("申请"), norm.units("身请")
    assert list(right.codes) != list(typo.codes)
    assert pinyin_of(right) == pinyin_of(typo) == "shen qing"


def test_typed_pinyin_becomes_syllables_without_characters(norm):
    units = norm.units(norm.normalize("shen qing 收费"))
    assert pinyin_of(units) == "shen qing shou fei"
    assert list(units.codes[:2]) == [0, 0]
    assert all(units.codes[2:] > 0)


def test_a_particle_typed_in_pinyin_is_dropped(norm):
    assert pinyin_of(norm.units(norm.normalize("shenqing yao shoufei ma"))) == "shen qing yao shou fei"
    assert pinyin_of(norm.units(norm.normalize("ma"))) == "ma"  # one syllable alone is kept
