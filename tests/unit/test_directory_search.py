"""Directory search: what a resident types on the letter keyboard finds the right office."""

from __future__ import annotations

import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.directory.readings import Reader
from kiosk.directory.search import EXACT, PREFIX, SUBSTRING, Entry, SearchIndex, tokens

READER = Reader()  # one pypinyin set-up for the module; every index below shares it


def index(*names: str, own: str | None = None, **sites: str) -> SearchIndex:
    """An index of entries named `names`; `sites` gives some of them a site (by name)."""
    entries = [
        Entry(id=f"e{i}", kind="site", name=n, site=sites.get(n)) for i, n in enumerate(names)
    ]
    return SearchIndex(entries, own_site=own, reader=READER)


def names(results) -> list[str]:
    return [hit.entry.name for hit in results.hits]


DIRECTORY = index(
    "渝北区法律援助中心",
    "法律援助",
    "法律援助中心",
    "重庆市渝北区人民调解委员会",
    "双龙湖街道人民调解委员会",
    "重庆市渝北区公证处",
    "重庆渝律律师事务所",
    "统景镇公共法律服务工作站",
    "银行业纠纷调解中心",
    "长寿路社区公共法律服务工作室",
)


def test_initials_find_legal_aid_exact_first_then_prefix_then_substring():
    results = DIRECTORY.search("FLYZ")
    assert names(results) == ["法律援助", "法律援助中心", "渝北区法律援助中心"]
    assert [hit.tier for hit in results.hits] == [EXACT, PREFIX, SUBSTRING]
    scores = [hit.score for hit in results.hits]
    assert scores == sorted(scores, reverse=True)
    assert results.hits[2].matched == "法律援助"


def test_lower_case_and_upper_case_are_the_same():
    assert names(DIRECTORY.search("flyz")) == names(DIRECTORY.search("FLYZ"))


def test_full_pinyin_finds_mediation_committees():
    found = names(DIRECTORY.search("tiaojie"))
    # all substring matches: shorter names first
    assert found == ["银行业纠纷调解中心", "双龙湖街道人民调解委员会", "重庆市渝北区人民调解委员会"]
    for partial in ("tiao", "tiaoj", "tiaoji"):
        assert set(found) <= set(names(DIRECTORY.search(partial)))


def test_polyphone_diao_is_not_how_tiaojie_is_read():
    assert names(DIRECTORY.search("diaojie")) == []
    assert not any("调解" in hit.matched for hit in DIRECTORY.search("dj").hits)


def test_chongqing_is_chong_not_zhong():
    found = names(DIRECTORY.search("chongqing"))
    assert set(found) == {"重庆市渝北区人民调解委员会", "重庆市渝北区公证处", "重庆渝律律师事务所"}
    assert names(DIRECTORY.search("zhongqing")) == []
    assert set(names(DIRECTORY.search("cq"))) >= set(found)


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("yinhang", "银行业纠纷调解中心"),  # 行 is hang in 银行, not xing
        ("changshou", "长寿路社区公共法律服务工作室"),  # 长 is chang in 长寿
        ("tongjing", "统景镇公共法律服务工作站"),
    ],
)
def test_more_polyphones_read_in_context(query, name):
    assert name in names(DIRECTORY.search(query))


def test_field_words_pypinyin_misreads_are_corrected():
    words = index("双龙湖街道调委会", "人调委工作室", "诉调对接中心", "曾家镇公共法律服务工作站")
    assert names(words.search("tiaoweihui")) == ["双龙湖街道调委会"]
    assert names(words.search("diaoweihui")) == []
    assert names(words.search("rtw")) == ["人调委工作室"]
    assert names(words.search("sutiao")) == ["诉调对接中心"]
    assert names(words.search("zengjia")) == ["曾家镇公共法律服务工作站"]


def test_polyphonic_surnames_of_people_read_as_surnames():
    people = SearchIndex(
        [
            Entry("d1", "duty", "曾小明", person=True),
            Entry("d2", "duty", "单丽律师", person=True),
            Entry("s1", "site", "单家村公共法律服务工作室"),
        ],
        reader=READER,
    )
    assert names(people.search("zxm")) == ["曾小明"]
    assert names(people.search("cengxm")) == []
    assert names(people.search("shanli")) == ["单丽律师"]
    assert names(people.search("danjiacun")) == ["单家村公共法律服务工作室"]


@pytest.mark.parametrize(
    "query",
    ["falvyz", "flyuanzhu", "fa lv yuan zhu", "法律yz", "法lyz", "法律援助", "FaLvYZ", "fal-yz"],
)
def test_mixed_input_initials_full_pinyin_and_characters(query):
    results = DIRECTORY.search(query)
    assert names(results)[0] == "法律援助"
    assert results.hits[0].tier == EXACT
    assert set(names(results)) == {"法律援助", "法律援助中心", "渝北区法律援助中心"}


def test_u_and_v_both_type_u_umlaut():
    assert names(DIRECTORY.search("lvshi")) == names(DIRECTORY.search("lushi"))
    assert "重庆渝律律师事务所" in names(DIRECTORY.search("lvshi"))


@pytest.mark.parametrize("query", ["", "   ", "!!", "·、", "\n"])
def test_empty_queries_find_nothing(query):
    results = DIRECTORY.search(query)
    assert results.hits == () and not results and not results.more


@pytest.mark.parametrize("query", ["qqqq", "xzxzxz", "zzzzzzzzzzzzzzzzzzzzzzzzzzzzz", "0000", "犇"])
def test_nonsense_finds_nothing(query):
    assert DIRECTORY.search(query).hits == ()


def test_a_very_long_query_is_quick_and_finds_nothing():
    import time

    started = time.perf_counter()
    assert DIRECTORY.search("a" * 500).hits == ()
    assert time.perf_counter() - started < 0.5


def test_own_site_entries_first_within_a_tier_but_never_above_a_better_tier():
    own = "slh"
    ranked = index(
        "人民调解",
        "渝北区人民调解委员会",
        "双龙湖街道人民调解委员会",
        "人民调解委员会",
        own=own,
        **{"双龙湖街道人民调解委员会": own, "人民调解委员会": "elsewhere"},
    )
    results = ranked.search("rmtj")
    assert names(results) == [
        "人民调解",  # exact
        "人民调解委员会",  # prefix
        "双龙湖街道人民调解委员会",  # substring, this site's own
        "渝北区人民调解委员会",  # substring
    ]
    assert [hit.own for hit in results.hits] == [False, False, True, False]
    assert results.hits[2].score > results.hits[3].score


def test_shorter_names_rank_first_within_a_tier():
    ranked = index("法律援助中心第一工作站", "法律援助中心")
    assert names(ranked.search("flyz")) == ["法律援助中心", "法律援助中心第一工作站"]


def test_limit_and_more():
    many = index(*[f"第{n}调解委员会" for n in "一二三四五六七八九十"])
    results = many.search("tj", limit=4)
    assert len(results.hits) == 4 and results.more
    everything = many.search("tj", limit=50)
    assert len(everything.hits) == 10 and not everything.more
    assert names(results) == names(everything)[:4]
    assert many.search("tj", limit=0).hits == ()


def test_aliases_find_an_entry_by_another_name():
    aliased = SearchIndex(
        [Entry("help:legal_aid", "help", "法律援助", aliases=("法援", "免费律师"))], reader=READER
    )
    assert names(aliased.search("fy")) == ["法律援助"]
    assert names(aliased.search("mianfei")) == ["法律援助"]


def test_names_with_latin_letters_digits_and_full_width_forms():
    odd = index("ABC律师事务所", "第１调解室", "12348热线")
    assert names(odd.search("abclssws")) == ["ABC律师事务所"]
    assert names(odd.search("1tjs")) == ["第１调解室"]
    assert names(odd.search("12348")) == ["12348热线"]


def test_tokens_keep_letters_digits_and_characters_only():
    assert tokens(" Fa-LV，援助 1") == "falu援助1"


def test_creating_an_index_module_does_not_import_pypinyin_until_a_reader_exists():
    import subprocess

    code = (
        "import sys\n"
        "import kiosk.directory.search, kiosk.directory.background, kiosk.directory.entries\n"
        "print('pypinyin' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --- the index agrees with a plain recursive matcher on random names and queries --------------

ALPHABET = "法律援助中心调解重庆长行银统景公证处律师"


def reference_tier(units, query) -> str | None:
    """Brute force: try every way to split the query over consecutive characters."""

    def consume(q: str, i: int, to_end: bool) -> bool:
        char, letters = units[i]
        last = i == len(units) - 1
        if not q[0].isascii():
            if char != q[0]:
                return False
            rest = q[1:]
            return (not rest and (last or not to_end)) or (
                bool(rest) and not last and consume(rest, i + 1, to_end)
            )
        for k in range(1, len(letters) + 1):
            head = q[:k]
            if not all(c.isascii() for c in head) or letters[:k] != head:
                break
            rest = q[k:]
            if not rest and (last or not to_end):
                return True
            if rest and not last and consume(rest, i + 1, to_end):
                return True
        return False

    if consume(query, 0, True):
        return EXACT
    if consume(query, 0, False):
        return PREFIX
    if any(consume(query, i, False) for i in range(1, len(units))):
        return SUBSTRING
    return None


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.text(alphabet=ALPHABET, min_size=1, max_size=7), min_size=1, max_size=8),
    st.text(alphabet="fafalvyzhxtjcqgsbunc" + "法律调", min_size=1, max_size=6),
)
def test_index_agrees_with_brute_force(name_list, query):
    entries = [Entry(f"e{i}", "site", n) for i, n in enumerate(name_list)]
    built = SearchIndex(entries, reader=READER)
    typed = tokens(query)
    expected = {}
    for entry in entries:
        tier = reference_tier(READER.units(entry.name), typed)
        if tier:
            expected[entry.id] = tier
    got = {hit.entry.id: hit.tier for hit in built.search(query, limit=100).hits}
    assert got == expected


def test_matched_characters_for_short_and_long_queries():
    def matched(query: str, name: str) -> str:
        return next(h.matched for h in DIRECTORY.search(query).hits if h.entry.name == name)

    assert matched("tj", "银行业纠纷调解中心") == "调解"
    assert matched("tj", "统景镇公共法律服务工作站") == "统景"
    assert matched("tiaojie", "银行业纠纷调解中心") == "调解"
    assert matched("cqs", "重庆市渝北区公证处") == "重庆市"


def test_an_entry_found_by_name_and_alias_is_listed_once_at_its_best_tier():
    both = SearchIndex(
        [Entry("help:mediation", "help", "人民调解", aliases=("调解",))], reader=READER
    )
    results = both.search("tj")
    assert [h.entry.id for h in results.hits] == ["help:mediation"]
    assert results.hits[0].tier == EXACT  # the alias 调解 is read whole


def test_a_generated_directory_agrees_with_brute_force():
    """The anchors and pair postings never lose a match: every result tier is the true one."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from directory_search import generate, typed_sequences

    entries = generate(600, seed=11)
    built = SearchIndex(entries, own_site="site3", reader=READER)
    sequences = typed_sequences(entries, READER, 60, seed=3)
    queries = {seq[:n] for seq in sequences for n in range(1, len(seq) + 1)}
    chosen = sorted(queries)[:: max(1, len(queries) // 150)]
    for query in [*chosen, "sxz", "qinggf", "shengf"]:
        expected = {}
        for entry in entries:
            tier = reference_tier(READER.units(entry.name, person=entry.person), tokens(query))
            if tier:
                expected[entry.id] = tier
        got = {hit.entry.id: hit.tier for hit in built.search(query, limit=5000).hits}
        assert got == expected, query
