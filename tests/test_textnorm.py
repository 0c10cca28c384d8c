import pytest

from bot.textnorm import Normalizer, Slips, pinyin_of, split_pinyin, without_opener


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


KNOWN = [
    "怎么申请公开政府信息",
    "答复期限是多少个工作日",
    "年度报告在哪看",
    "烟花爆竹经营许可",
    "补正申请",
    "看不了",
    "会议纪要能公开吗",
    "这个案子的材料",
]


@pytest.mark.parametrize(
    "typed, meant",
    [
        ("怎么申清公开", "怎么申请公开"),  # 清 fits neither neighbour; 请 fits both, in a known run
        ("20个工做日", "20个工作日"),
        ("年度保告在哪", "年度报告在哪"),
        ("烟花暴竹通知", "烟花爆竹通知"),  # the sentence's start: the two after it hold it
        ("申请公开吗？", "申请公开吗？"),  # nothing to put right: the very text back
    ],
)
def test_a_homophone_slip_is_put_right(norm, typed, meant):
    homophones = Slips([norm.script(t) for t in KNOWN])
    assert homophones.correct(typed) == meant


def test_a_slip_the_knowledge_holds_once_is_still_put_right(norm):
    # Staff taught a wording as a citizen typed it (申情表在哪领): 申情 is then a pair of the
    # knowledge's, yet 申请 fits far better and is what the next citizen meant by it.
    taught = [*KNOWN, *(["申请表在哪领", "申请要多久"] * 6), "申情表在哪领"]
    slips = Slips([norm.script(t) for t in taught])
    assert slips.correct("申情要多久") == "申请要多久"
    # What the knowledge has as often as its homophone is no slip: both are meant.
    often = Slips([norm.script(t) for t in [*taught, *(["申情表在哪领"] * 3)]])
    assert often.correct("申情要多久") == "申情要多久"


def test_a_slip_of_shape_is_put_right_where_no_word_fits(norm):
    slips = Slips([norm.script(t) for t in KNOWN])
    # 靖 (立 青) looks like 请 (言 青); 耍 (而 女) like 要 (覀 女): neither typed character is the
    # knowledge's, neither makes a word with its neighbours, and the look-alike makes one.
    assert slips.correct("怎么申靖公开") == "怎么申请公开"
    assert slips.correct("会议纪耍能公开吗") == "会议纪要能公开吗"
    # 架 looks like 案 (木 under another part), and 案子 is the knowledge's, but 架子 is a word.
    assert slips.correct("这个架子的材料") == "这个架子的材料"


def test_what_is_not_a_slip_is_left_as_typed(norm):
    homophones = Slips([norm.script(t) for t in KNOWN], keep="俺")
    assert homophones.correct("不正申请") == "不正申请"  # 补正 is known, but a negation is never replaced
    assert homophones.correct("看补了") == "看补了"  # nor put in: 看不了 says the opposite
    assert homophones.correct("俺申请") == "俺申请"  # the lexicon's own variant (俺: 我), kept
    # A message that would need more than MAX_SLIPS characters changed is words the knowledge
    # does not use, not slips: left whole.
    assert homophones.correct("申清公开工做日年度保告") == "申清公开工做日年度保告"
    assert homophones.correct("申清公开工做日") == "申请公开工作日"


@pytest.mark.parametrize(
    "typed, read",
    [
        ("那要带啥材料", "要带啥材料"),
        ("那么要多久", "要多久"),
        ("然后去哪交", "去哪交"),
        ("那网上呢", "网上呢"),
        ("那个编号是干嘛的", "那个编号是干嘛的"),  # 那个, 那年, 那份 name something
        ("那年有几件申请", "那年有几件申请"),
        ("那份年报说了啥", "那份年报说了啥"),
        ("然后呢", "然后呢"),  # nothing after it asks
        ("我那个申请要多久", "我那个申请要多久"),  # only where it opens the message
        ("一个是让补材料的那几天算不算在期限里", "让补材料的那几天算不算在期限里"),  # one of several
        ("第二个问题是，能网上申请吗", "能网上申请吗"),
        ("另一个是要带啥证件", "要带啥证件"),
        ("一个是不是要收费", "一个是不是要收费"),  # 一个是不是: whether it is one
        # A case supposed of the answer before: 应急预案有公开没 没有的话怎么申请看全文.
        ("没有的话怎么申请看全文", "怎么申请看全文"),
        ("要是没有，去哪申请", "去哪申请"),
        ("不行的话我去哪告", "我去哪告"),
        ("否则去哪申请", "去哪申请"),
        ("不给的话咋办", "不给的话咋办"),  # what to do is all it asks: the case is the question
        ("要是不给我呢", "要是不给我呢"),  # and so is what is left: a word, 我呢
        ("不给公开的话能复议吗", "不给公开的话能复议吗"),  # a case of its own, not of the answer before
        ("没有的话会怎么答复我", "没有的话会怎么答复我"),  # 会 does not go on asking
    ],
)
def test_then_opening_a_question_is_not_part_of_it(typed, read):
    assert without_opener(typed) == read
