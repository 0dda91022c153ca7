"""Cutting a sign's slide into pages: plain arithmetic on block heights, tested without a
window. Rules from issue 15: a page never ends on a heading whose text is on the next page,
and there is no nearly empty continuation page.

A greedy fill cannot keep both rules (moving a heading down can leave the last page nearly
empty, evening pages out can strand a heading), so every break is weighed at once: a small
dynamic programme over "where does the next page start" with the rules as ranked costs.
"""

from __future__ import annotations

# A page must carry at least this share of a full page, else pages are evened out.
MIN_FILL = 0.35


def paginate(heights: list[float], kinds: list[str], available: float) -> list[list[int]]:
    """Indexes of blocks per page, in order. Ranked, most important first: no page ends on a
    heading that would fit with the text after it; as few pages as possible; then the fullest
    early pages (a reader expects a page filled before the next one starts). When that leaves
    a nearly empty page, pages are evened out instead (same count, least squared slack)."""
    count = len(heights)
    if count == 0:
        return []
    if sum(heights) <= available:
        return [list(range(count))]
    pages = _best(heights, kinds, available, even=False)
    if any(sum(heights[i] for i in page) < available * MIN_FILL for page in pages):
        pages = _best(heights, kinds, available, even=True)
    return pages


def stranded_heading(heights: list[float], kinds: list[str], available: float, end: int) -> bool:
    """A page ending before block `end` leaves a heading behind that could go with its text."""
    if end <= 0 or end >= len(heights):
        return False
    return (
        kinds[end - 1] == "heading"
        and kinds[end] != "heading"  # headings in a row (a table's rows) break like text
        and heights[end - 1] + heights[end] <= available
    )


def _best(heights: list[float], kinds: list[str], available: float, even: bool) -> list[list[int]]:
    count = len(heights)
    # cost[i]: the best ranked cost of paging blocks i.. ; start[i]: where its second page starts
    cost: list[tuple[float, ...]] = [()] * (count + 1)
    after: list[int] = [count] * (count + 1)
    cost[count] = (0, 0, 0, 0.0)
    for first in range(count - 1, -1, -1):
        best: tuple[float, ...] | None = None
        used = 0.0
        for end in range(first + 1, count + 1):
            used += heights[end - 1]
            if used > available and end - first > 1:
                break  # only a block taller than the frame may overflow, alone on its page
            stranded, pages, sparse, slack = cost[end]
            candidate: tuple[float, ...] = (
                stranded + stranded_heading(heights, kinds, available, end),
                pages + 1,
                sparse + (used < available * MIN_FILL) if even else 0,
                slack + max(available - used, 0.0) ** 2 if even else 0.0,
            )
            # ties go to the longer first page (the fuller early page)
            if best is None or candidate <= best:
                best, after[first] = candidate, end
        assert best is not None
        cost[first] = best
    pages, first = [], 0
    while first < count:
        pages.append(list(range(first, after[first])))
        first = after[first]
    return pages
