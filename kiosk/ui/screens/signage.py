"""Signage mode for the hall's LED or large screen: nobody touches it, slides change by
themselves — the site and its windows, current notices, every disclosure (公示) page split
into screen-sized slides, and slides that features add (a screen module may define
`signage_slides(app) -> list[Slide]`, e.g. the queue)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kivy.clock import Clock
from kivy.properties import NumericProperty, StringProperty

from kiosk.mdblocks import Block, blocks
from kiosk.pagination import paginate
from kiosk.ui import strings, theme
from kiosk.ui.screens.base import KioskScreen, load_kv
from kiosk.ui.widgets import WrapLabel


@dataclass(frozen=True)
class Slide:
    title: str
    blocks: tuple[Block, ...] = field(default=())


def base_slides(app: Any) -> list[Slide]:
    """What every sign shows: the site (windows, hours, hotline, notices) and its 公示 pages."""
    pack, site = app.content.pack, app.site
    lines: list[Block] = []
    if site is not None:
        for window in site.windows:
            label = f"{window.number}  {window.name}" if window.number else window.name
            lines.append(Block("item", label, 1, "•"))
        if site.address:
            lines.append(Block("paragraph", f"{strings.SIGNAGE_ADDRESS}：{site.address}"))
        if site.hours.note:
            lines.append(Block("paragraph", site.hours.note))
    lines.append(Block("heading", f"{strings.SIGNAGE_HOTLINE} {app.hotline}", 2))
    slides = []
    for notice in app.current_notices():
        if notice.urgent:  # a slide of its own, first
            slides.append(Slide(strings.NOTICE_URGENT, tuple(notice_blocks(app, notice))))
            continue
        lines.append(Block("heading", f"{strings.NOTICE}：{notice.title}", 3))
        if notice.body:
            lines.append(Block("paragraph", notice.body))
    slides.append(Slide(strings.SIGNAGE_WINDOWS, tuple(lines)))
    for page in pack.pages_for(app.settings.kiosk.site):
        slides.append(Slide(page.title, tuple(blocks(page.body))))
    return slides


def start(app: Any) -> Any:
    """Background work of signage (kiosk/ui/features.py): the queue feed, if any."""
    return start_feed(app)


def start_feed(app: Any) -> Any:
    """A sign with `[hall] url` follows the hall's queue live (SSE, polling as fallback)."""
    if app.settings.kiosk.mode != "signage" or not app.settings.hall.url:
        return None
    from kiosk.hall.client import HallClient

    def arrived(state: dict[str, Any]) -> None:
        Clock.schedule_once(lambda _dt: setattr(app, "hall_state", state), 0)

    return HallClient(app.settings.hall.url, arrived, timeout=app.settings.hall.timeout).start()


def queue_slides(app: Any) -> list[Slide]:
    """Now serving per counter, the last calls and the waiting counts."""
    from kiosk.signage import lines

    state = app.hall_state
    if not app.settings.hall.url and not state:
        return []
    if not state:
        return [Slide(lines.QUEUE_TITLE, (Block("paragraph", lines.NO_QUEUE),))]
    found = [Block("heading", f"{name}　{ticket}", 2) for name, ticket in lines.counter_rows(state)]
    calls = lines.last_calls(state)
    if calls:
        found.append(Block("heading", lines.LAST_CALLS, 4))
        found += [Block("item", call, 1, "•") for call in calls]
    found += [Block("paragraph", text) for text in lines.waiting_lines(state)]
    return [Slide(lines.QUEUE_TITLE, tuple(found))]


def notice_blocks(app: Any, notice: Any) -> list[Block]:
    """An urgent notice as a slide: the title big, then the body, what closes and until when."""
    blocks_: list[Block] = [Block("heading", notice.title, 1)]
    if notice.body:
        blocks_.append(Block("paragraph", notice.body))
    if notice.closes:
        names = {s.id: s.name for s in app.content.pack.services_at(app.settings.kiosk.site)}
        closed = (
            strings.NOTICE_CLOSES_ALL
            if "all" in notice.closes
            else strings.NOTICE_CLOSES_ONE + "、".join(names.get(c, c) for c in notice.closes)
        )
        blocks_.append(Block("paragraph", closed))
    if notice.end:
        blocks_.append(
            Block("paragraph", strings.NOTICE_UNTIL.format(when=f"{notice.end:%m月%d日 %H:%M}"))
        )
    return blocks_


# Text read across a hall: sizes as a share of the screen's height (issue 15: heading >= 6 %,
# body >= 3.5 %). The slide title is the largest line.
TITLE_SHARE, HEADING_SHARE, BODY_SHARE = 0.07, 0.06, 0.038


@dataclass(frozen=True)
class SignSizes:
    title: float
    heading: float
    body: float
    gap: float

    @classmethod
    def for_height(cls, height: float) -> SignSizes:
        return cls(
            title=round(height * TITLE_SHARE),
            heading=round(height * HEADING_SHARE),
            body=round(height * BODY_SHARE),
            gap=round(height * 0.015),
        )


def block_label(block: Block, sizes: SignSizes) -> WrapLabel:
    # Sizes are set after construction: WrapLabel's kv rule binds font_size to the theme.
    if block.kind == "heading":
        label = WrapLabel(source=block.text, bold=True, color=theme.PRIMARY_DARK)
        label.font_size = sizes.heading if block.level <= 3 else sizes.body
    elif block.kind == "item":
        label = WrapLabel(source=f"{block.marker} {block.text}")
        label.font_size = sizes.body
        label.padding = [sizes.body * block.level, 0, 0, 0]
    else:
        label = WrapLabel(source=block.text)
        label.font_size = sizes.body
    return label


class SignageScreen(KioskScreen):
    navigable = False
    index = NumericProperty(0)
    counter = StringProperty("")
    title_size = NumericProperty(72)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.pages: list[tuple[str, list[Block]]] = []
        self._timer: Any = None
        # Pages are cut to the frame's size, known only after layout: rebuild when it changes.
        self._trigger_rebuild = Clock.create_trigger(lambda _dt: self.rebuild(), 0)
        self.ids.frame.bind(size=lambda *_: self._trigger_rebuild())
        # An urgent notice goes up at once, not at the end of the round.
        self.app.bind(urgent_notices=lambda *_: self._trigger_rebuild())
        self.app.bind(hall_state=lambda *_: self._queue_changed())

    @property
    def sizes(self) -> SignSizes:
        return SignSizes.for_height(self.app.root.height if self.app.root else self.height)

    def show(self, **params: Any) -> None:
        self._trigger_rebuild()
        if self._timer is None:
            seconds = self.app.settings.signage.slide_seconds
            self._timer = Clock.schedule_interval(lambda _dt: self.advance(), seconds)

    def collect(self) -> list[Slide]:
        from kiosk.ui.screens import screen_modules

        slides = base_slides(self.app)
        urgent = sum(1 for s in slides if s.title == strings.NOTICE_URGENT)
        slides[urgent:urgent] = queue_slides(self.app)  # right after urgent notices
        for module in screen_modules():
            if hasattr(module, "signage_slides"):
                slides += module.signage_slides(self.app)
        return slides

    def rebuild(self) -> None:
        """Split every slide into pages that fit the screen, then show the first page."""
        self.pages = []
        sizes = self.sizes
        self.title_size = sizes.title
        frame = self.ids.frame
        available = frame.height - frame.padding[1] - frame.padding[3]
        for slide in self.collect():
            heights = [self._measure(block) + sizes.gap for block in slide.blocks]
            kinds = [block.kind for block in slide.blocks]
            for chunk in paginate(heights, kinds, available):
                self.pages.append((slide.title, [slide.blocks[i] for i in chunk]))
        self.index = 0
        if self.pages:
            self._render()

    def _queue_changed(self) -> None:
        """Live: a queue page on screen is redrawn at once with the new figures."""
        from kiosk.signage import lines

        if not self.pages or self.pages[self.index][0] != lines.QUEUE_TITLE:
            return
        index = self.index
        self.rebuild()
        self.index = min(index, len(self.pages) - 1)
        self._render()

    def advance(self) -> None:
        if not self.pages:
            return
        self.index = (self.index + 1) % len(self.pages)
        if self.index == 0:
            self.rebuild()  # notices and queue figures change: refresh once per round
            return
        self._render()

    def _measure(self, block: Block) -> float:
        label = block_label(block, self.sizes)
        label.width = self.ids.frame.width
        label.wrap_now()
        return label.height

    def _render(self) -> None:
        title, chunk = self.pages[self.index]
        self.ids.slide_title.source = title
        body = self.ids.body
        body.spacing = self.sizes.gap
        body.clear_widgets()
        for block in chunk:
            body.add_widget(block_label(block, self.sizes))
        self.counter = f"{self.index + 1} / {len(self.pages)}"

    def on_leave(self, *_: Any) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None


def _signage(driver: Any) -> None:
    driver.app.hall_state = None  # the plain sign: no hall server
    driver.app.go("signage", remember=False)


def _signage_queue(driver: Any) -> None:
    """The big screen of a hall with a queue: the state of the real hall queue, run on a
    throw-away database (kiosk.signage.sample), on its queue page."""
    from kiosk.signage import lines
    from kiosk.signage.sample import sample_state

    app = driver.app
    app.hall_state = sample_state(app.settings, app.content.pack)
    app.go("signage", remember=False)
    screen = app.screens.get_screen("signage")
    driver.settle()
    screen.rebuild()
    screen.index = next((i for i, p in enumerate(screen.pages) if p[0] == lines.QUEUE_TITLE), 0)
    screen._render()  # (only signs read hall_state: the other stops are unaffected)


TOUR_STOPS = [("signage", _signage), ("signage-queue", _signage_queue)]

load_kv(__file__)
