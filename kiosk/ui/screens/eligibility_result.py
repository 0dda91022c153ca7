"""法律援助自测's result: the hedged outcome, what to bring, where to go, the articles,
and printing the checklist (with a ticket for the legal-aid window) in a worker thread."""

from __future__ import annotations

import threading
from typing import Any

from kivy.app import App
from kivy.clock import Clock
from kivy.properties import StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget

from kiosk import clock
from kiosk.eligibility import checklist
from kiosk.eligibility.rules import Citation, chinese_date
from kiosk.eligibility.walkthrough import Walkthrough
from kiosk.ui import strings, theme
from kiosk.ui.overlays import Overlay
from kiosk.ui.screens.base import KioskScreen, load_kv
from kiosk.ui.screens.eligibility import (
    FEATURE,
    OUTCOME_COLOURS,
    URGENT_BG,
    _landscape,
    _plain,
    body,
    heading,
    made,
    walk_for,
)
from kiosk.ui.widgets import Banner, Card, KioskButton, QRCode, SecondaryButton, WrapLabel

# --- the result ------------------------------------------------------------------------------


class ArticleOverlay(Overlay):
    """The text of one article, read on top of the result."""

    heading = StringProperty("")
    text = StringProperty("")

    def close(self) -> None:
        App.get_running_app().close_overlay()


class EligibilityResultScreen(KioskScreen):
    title = strings.ELIG_RESULT_TITLE
    busy = True
    status = StringProperty("")
    ticket = StringProperty("")  # the queue number, shown large

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.result: Any = None
        self.bind(size=lambda *_: self._arrange())

    def show(self, **params: Any) -> None:
        app = self.app
        walk = walk_for(app)
        day = clock.today()
        if walk.current(day) is not None:
            app.go("eligibility-question", remember=False, qid=walk.current(day).id)
            return
        result = walk.result(day, app.content.pack, app.settings.kiosk.site)
        self.result = result
        self._count(walk, result, day)
        self.status = ""
        self.ticket = ""
        self._build(result, walk)
        self._arrange()
        self.ids.scroll.scroll_y = 1

    def _count(self, walk: Walkthrough, result: Any, day: Any) -> None:
        """Anonymous counts, written off the UI thread (kiosk.eligibility.stats)."""
        if not self.app.stats_enabled:
            return  # `kiosk tour` pictures and smoke checks are not a resident's use
        from kiosk.eligibility import stats

        if stats.count_once(walk, result, day, self.app.settings.store.path):
            self.app.count("eligibility", subject=result.outcome)

    def _arrange(self) -> None:
        grid = self.ids.columns
        grid.cols = 2 if _landscape(self) else 1

    def _build(self, result: Any, walk: Walkthrough) -> None:
        size = self.app.theme
        ruleset = walk.ruleset
        first, second = self.ids.first, self.ids.second
        first.clear_widgets()
        second.clear_widgets()

        head = made(Card, background=OUTCOME_COLOURS.get(result.outcome, theme.PRIMARY))
        head.add_widget(
            made(
                WrapLabel,
                source=result.title,
                font_size=size.headline,
                bold=True,
                color=theme.PRIMARY_TEXT,
            )
        )
        head.add_widget(made(WrapLabel, source=result.summary, color=theme.PRIMARY_TEXT))
        head.action = f"outcome:{result.outcome}"
        first.add_widget(head)
        if result.urgent:
            first.add_widget(
                made(
                    Banner, text=result.urgent_text, background=URGENT_BG, foreground=theme.HOTLINE
                )
            )
        first.add_widget(made(Banner, text=result.notice, background=theme.WARNING_BG))

        why = made(Card)
        why.add_widget(heading(strings.ELIG_WHY, size))
        for line in result.why:
            why.add_widget(body("· " + line))
        line = result.income_line
        if line is not None and result.means_test.startswith("required"):
            param = ruleset.params.get("income_line")
            why.add_widget(
                body(
                    strings.ELIG_STANDARD.format(
                        name="",
                        value=_plain(line.value),
                        start=chinese_date(line.start),
                        source=line.source,
                    )
                    + ("" if line.verified else f"（{strings.UNVERIFIED}）"),
                    color=theme.TEXT_MUTED if line.verified else theme.WARNING,
                    font_size=size.small,
                )
            )
            _ = param
        first.add_widget(why)

        laws = made(Card)
        laws.add_widget(heading(strings.ELIG_ARTICLES, size))
        for citation in result.citations:
            button = made(
                SecondaryButton,
                source=f"{ruleset.citation_label(citation)}  {strings.ELIG_READ}",
                action=f"article:{citation.law}:{citation.article}",
                font_size=size.body,
                halign="left",
            )
            button.bind(on_release=lambda _b, c=citation: self.read(c))
            laws.add_widget(button)
        first.add_widget(laws)

        docs = made(Card)
        docs.add_widget(heading(strings.ELIG_DOCUMENTS, size))
        for doc in result.documents:
            docs.add_widget(body(f"□ {doc.name}", bold=True))
            if doc.detail:
                docs.add_widget(
                    body(doc.detail, color=theme.TEXT_MUTED, padding=[size.pad, 0, 0, 0])
                )
        second.add_widget(docs)

        places = made(Card)
        places.add_widget(heading(strings.ELIG_PLACES, size))
        for place in result.places:
            places.add_widget(
                body(place.name + (strings.ELIG_HERE if place.here else ""), bold=True)
            )
            details = [place.role]
            if place.window:
                details.append(f"{strings.ELIG_WINDOW}：{place.window}")
            if place.address:
                details.append(f"{strings.ELIG_ADDRESS}：{place.address}")
            if place.phone:
                details.append(f"{strings.ELIG_PHONE}：{place.phone}")
            if place.note:
                details.append(place.note)
            for text in details:
                places.add_widget(body(text, padding=[size.pad, 0, 0, 0]))
        second.add_widget(places)

        if result.alternatives and result.outcome != "likely_eligible":
            alts = made(Card)
            alts.add_widget(heading(strings.ELIG_ALTERNATIVES, size))
            for alt in result.alternatives:
                alts.add_widget(body(" ".join(x for x in (alt.name, alt.phone) if x), bold=True))
                for text in (alt.detail, alt.where):
                    if text:
                        alts.add_widget(body(text, padding=[size.pad, 0, 0, 0]))
            second.add_widget(alts)

        second.add_widget(self._take_away(result))
        # spacers keep the shorter column's cards at the top in landscape
        first.add_widget(Widget())
        second.add_widget(Widget())
        self._build_actions()

    def _build_actions(self) -> None:
        """打印清单, 打印清单并取号 and 扫码带走 in the bar pinned above the footer: however
        long the result, they are one tap away (扫码带走 brings the QR card into view)."""
        bar = self.ids.actions
        bar.clear_widgets()
        buttons: list[Any] = []
        if self._can_print():
            printing = made(KioskButton, source=strings.ELIG_PRINT, action="print-checklist")
            printing.bind(on_release=lambda _b: self.print_checklist(with_ticket=False))
            buttons.append(printing)
            if self.ticket_service():
                ticket = made(
                    KioskButton, source=strings.ELIG_PRINT_TICKET, action="print-and-ticket"
                )
                ticket.bind(on_release=lambda _b: self.print_checklist(with_ticket=True))
                buttons.append(ticket)
        qr = made(SecondaryButton, source=strings.ELIG_SHOW_QR, action="show-qr")
        qr.bind(on_release=lambda _b: self.show_take_away())
        buttons.append(qr)
        for button in buttons:
            button.fit_height, button.size_hint_y = False, 1
            button.font_size = self.app.theme.body  # three side by side, even in 长者模式
            button.size_hint_x = len(button.source) / 4  # room for 打印清单并取号 on one line
            button.padding = [self.app.theme.gap * 0.5, 0]
            bar.add_widget(button)

    def show_take_away(self) -> None:
        """Scroll the QR card, with the print status and ticket number, into view."""
        card = getattr(self, "take_away_card", None)
        if card is not None and card.parent is not None:
            self.ids.scroll.scroll_to(card, padding=self.app.theme.gap, animate=False)

    def _take_away(self, result: Any) -> Card:
        size = self.app.theme
        card = made(Card)
        card.add_widget(heading(strings.ELIG_TAKE_AWAY, size))
        row = BoxLayout(size_hint_y=None, spacing=size.gap)
        code = QRCode(data=checklist.qr_text(result, self.app.hotline))
        code.size = (size.scale * 400, size.scale * 400)
        row.height = code.height
        row.add_widget(code)
        hint = made(WrapLabel, source=strings.ELIG_QR_HINT, pos_hint={"top": 1})
        # 长者模式's bigger words may need more height than the code beside them
        hint.bind(height=lambda _w, h: setattr(row, "height", max(code.height, h)))
        row.add_widget(hint)
        card.add_widget(row)
        self.take_away_card = card
        number = made(
            WrapLabel, source=self.ticket, bold=True, font_size=size.headline, color=theme.SUCCESS
        )
        self.bind(ticket=lambda _s, value: setattr(number, "source", value))
        card.add_widget(number)
        status = made(WrapLabel, source="", bold=True, color=theme.PRIMARY_DARK)
        self.bind(status=lambda _s, value: setattr(status, "source", value))
        card.add_widget(status)
        self.status_label = status
        return card

    # --- printing ---------------------------------------------------------------------------

    def _can_print(self) -> bool:
        try:
            import kiosk.tickets  # noqa: F401
        except ImportError:
            return False
        printer = getattr(self.app.settings, "printer", None)
        url = getattr(printer, "url", None)
        return url is not None and getattr(url, "kind", str(url)) not in ("", "none")

    def ticket_service(self) -> str:
        """The queue service of the legal-aid window at this site, if the pack has one."""
        from kiosk.eligibility.queueing import legal_aid_service

        app = self.app
        ruleset = walk_for(app).ruleset
        return legal_aid_service(ruleset, app.content.pack, app.settings.kiosk.site)

    def print_checklist(self, with_ticket: bool) -> None:
        if self.result is None:
            return
        app = self.app
        slip = checklist.build_slip(self.result, app.hotline)
        service = self.ticket_service() if with_ticket else ""
        self.status = strings.ELIG_PRINTING
        self.show_take_away()  # the status and the ticket number show on the QR card
        settings, pack = app.settings, app.content.pack

        def work() -> None:
            from kiosk import tickets

            lines = []
            if service:
                try:
                    issued = tickets.issue_ticket(settings, pack, service)
                    windows = getattr(issued.content, "windows", "") or strings.ELIG_WINDOW
                    number = strings.ELIG_TICKET.format(number=issued.ticket.number)
                    Clock.schedule_once(lambda _dt: setattr(self, "ticket", number), 0)
                    lines.append(strings.ELIG_TICKET_WHERE.format(windows=windows))
                    if not issued.printed and issued.print_error:
                        lines.append(
                            strings.ELIG_TICKET_NOT_PRINTED.format(error=issued.print_error)
                        )
                except tickets.Refused as exc:
                    lines.append(strings.ELIG_TICKET_REFUSED.format(reason=exc.reason))
                except Exception as exc:
                    lines.append(strings.ELIG_TICKET_REFUSED.format(reason=str(exc)))
            outcome = tickets.print_slip(slip, settings, pack)
            lines.insert(
                0,
                strings.ELIG_PRINTED
                if outcome.ok
                else strings.ELIG_PRINT_FAILED.format(error=outcome.error),
            )
            Clock.schedule_once(lambda _dt: setattr(self, "status", "\n".join(lines)), 0)

        threading.Thread(target=work, name="eligibility-print", daemon=True).start()

    # --- articles ---------------------------------------------------------------------------

    def read(self, citation: Citation) -> None:
        ruleset = walk_for(self.app).ruleset
        article = ruleset.article(citation)
        law = ruleset.laws.get(citation.law)
        overlay = ArticleOverlay(
            heading=ruleset.citation_label(citation),
            text=article.text if article else strings.ERROR_FRIENDLY,
        )
        if law is not None and law.source:
            overlay.text += f"\n\n{law.title}：{law.source}"
        self.app.show_overlay(overlay)

    # --- navigation -------------------------------------------------------------------------

    def change(self) -> None:
        self.app.go("eligibility-review", remember=False)

    def restart(self) -> None:
        self.app.session.features.pop(FEATURE, None)
        walk = walk_for(self.app)
        self.app.go("eligibility-question", remember=False, qid=walk.current(clock.today()).id)

    def done(self) -> None:
        self.app.home()

    def handle_back(self) -> bool:
        self.app.go("eligibility-review", remember=False)
        return True

    def forget(self) -> None:
        self.result = None
        self.status = ""
        self.ticket = ""
        self.ids.first.clear_widgets()
        self.ids.second.clear_widgets()


load_kv(__file__)
