"""Sign pages: nothing past the frame, no heading left at the bottom of a page, no nearly
empty last page."""

from __future__ import annotations

import itertools

from hypothesis import example, given
from hypothesis import strategies as st

from kiosk.pagination import MIN_FILL, paginate, stranded_heading


def test_a_heading_moves_to_the_page_of_its_text():
    heights = [30, 30, 30, 10, 30]
    kinds = ["paragraph", "paragraph", "paragraph", "heading", "paragraph"]
    pages = paginate(heights, kinds, 100)
    assert pages == [[0, 1, 2], [3, 4]]


def test_a_nearly_empty_last_page_is_evened_out():
    heights = [20] * 11  # greedy at 100: 5 + 5 + 1
    pages = paginate(heights, ["paragraph"] * 11, 100)
    assert len(pages) == 3 and min(len(p) for p in pages) >= 3


@given(
    st.lists(
        st.tuples(st.integers(1, 60), st.sampled_from(["heading", "paragraph", "item"])),
        min_size=1,
        max_size=40,
    )
)
@example([(1, "heading"), (1, "heading"), (41, "heading"), (24, "paragraph"), (34, "heading")])
def test_every_page_fits_keeps_order_and_never_ends_on_a_heading(blocks):
    heights = [h for h, _ in blocks]
    kinds = [k for _, k in blocks]
    available = 100
    pages = paginate(heights, kinds, available)
    assert [i for page in pages for i in page] == list(range(len(blocks)))
    for number, page in enumerate(pages):
        assert page, "no empty page"
        assert sum(heights[i] for i in page) <= available or len(page) == 1
        if number < len(pages) - 1 and len(page) > 1 and kinds[page[-1]] == "heading":
            # allowed only when the heading could not have gone along with its text
            following = pages[number + 1]
            together = heights[page[-1]] + sum(heights[i] for i in following[:1])
            assert together > available or kinds[following[0]] == "heading", pages


def test_rows_of_headings_fill_pages_like_text():
    pages = paginate([30] * 6, ["heading"] * 6, 100)
    assert [len(p) for p in pages] == [3, 3]


def test_the_case_hypothesis_found_keeps_the_heading_with_its_text():
    """Evening out [[0,1,2,3],[4]] once gave [[0,1,2],[3,4]]: heading 2 alone at the bottom."""
    heights = [1, 1, 41, 24, 34]
    kinds = ["heading", "heading", "heading", "paragraph", "heading"]
    assert paginate(heights, kinds, 100) == [[0, 1, 2, 3], [4]]


def _splits(count: int):
    """Every way to cut `count` blocks into pages (brute force, for small counts)."""
    for cuts in itertools.product((False, True), repeat=count - 1):
        pages, page = [], [0]
        for index, cut in enumerate(cuts, start=1):
            if cut:
                pages.append(page)
                page = []
            page.append(index)
        yield [*pages, page]


@given(
    st.lists(
        st.tuples(st.integers(1, 60), st.sampled_from(["heading", "paragraph", "item"])),
        min_size=2,
        max_size=10,
    )
)
def test_no_needless_page_and_no_avoidable_nearly_empty_page(blocks):
    """Against every possible cut: the fewest pages any good cut needs, and a nearly empty
    page only when every good cut with that many pages has one."""
    heights = [h for h, _ in blocks]
    kinds = [k for _, k in blocks]
    available = 100

    def fits(pages):
        return all(sum(heights[i] for i in p) <= available or len(p) == 1 for p in pages)

    def good(pages):
        ends = [p[-1] + 1 for p in pages[:-1]]
        return fits(pages) and not any(stranded_heading(heights, kinds, available, e) for e in ends)

    def sparse(pages):
        return len(pages) > 1 and any(
            sum(heights[i] for i in p) < available * MIN_FILL for p in pages
        )

    pages = paginate(heights, kinds, available)
    assert good(pages)
    candidates = [p for p in _splits(len(blocks)) if good(p)]
    fewest = min(len(p) for p in candidates)
    assert len(pages) == fewest
    if sparse(pages):
        assert all(sparse(p) for p in candidates if len(p) == fewest), pages
