"""Cutting a sign's slide into pages: plain arithmetic on block heights, tested without a
window. Rules from issue 15: a page never ends on a heading whose text is on the next page,
and there is no nearly empty continuation page."""

from __future__ import annotations

# A last page must carry at least this share of a full page, else the pages are evened out.
MIN_FILL = 0.35


def paginate(heights: list[float], kinds: list[str], available: float) -> list[list[int]]:
    """Indexes of blocks per page: never past `available`, never a heading last on a page
    when its text follows, and no nearly empty last page (pages are evened out instead)."""

    def fill(capacity: float) -> list[list[int]]:
        pages: list[list[int]] = [[]]
        used = 0.0
        for index, height in enumerate(heights):
            if pages[-1] and used + height > capacity:
                carried: list[int] = []
                while (
                    kinds[index] != "heading"  # headings in a row (a table) are not carried
                    and len(pages[-1]) > 1
                    and kinds[pages[-1][-1]] == "heading"
                    and sum(heights[i] for i in carried) + heights[pages[-1][-1]] + height
                    <= capacity
                ):
                    carried.insert(0, pages[-1].pop())  # the heading goes with its text
                pages.append(carried)
                used = sum(heights[i] for i in carried)
            pages[-1].append(index)
            used += height
        return pages

    pages = fill(available)
    if len(pages) > 1:
        last = sum(heights[i] for i in pages[-1])
        if last < available * MIN_FILL:
            target = sum(heights) / len(pages)
            for factor in (1.05, 1.15, 1.3):
                even = fill(max(target * factor, max(heights)))
                if len(even) == len(pages):
                    return even
    return pages
