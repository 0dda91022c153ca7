"""公共法律服务产品: the catalogue, one card per product with the seed's seven fields."""

from __future__ import annotations

from typing import Any

from kivy.clock import Clock

from kiosk.directory import browse
from kiosk.packs import model
from kiosk.ui import strings, theme
from kiosk.ui.screens.base import KioskScreen, load_kv
from kiosk.ui.screens.directory import SectionLabel, SmallButton, SmallLabel
from kiosk.ui.widgets import Card, InfoRow, SecondaryButton, WrapLabel

UNVERIFIED = "待核实"


def product_card(product: model.Product) -> Card:
    """Name large, then the six other fields as rows; notes and 待核实 in the warning colour."""
    card = Card()
    card.action = f"product:{product.id}"
    card.add_widget(SectionLabel(source=product.name))
    card.add_widget(
        SmallLabel(
            source=model.PRODUCT_CLASS_NAMES.get(product.product_class, product.product_class)
        )
    )
    for field, label in strings.PRODUCT_FIELDS:
        value = getattr(product, field) or "—"
        card.add_widget(InfoRow(label=label, value=value, warn=UNVERIFIED in value))
    if product.note:
        card.add_widget(WrapLabel(source=product.note, color=theme.WARNING, bold=True))
    return card


FIRST_CARDS = 3  # built before the screen shows: more than a portrait screenful
CARDS_PER_FRAME = 2  # the rest, a couple per frame (a card is ~45 widgets, ~70 ms to build)


class ProductsScreen(KioskScreen):
    title = strings.PRODUCTS_TITLE

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # Cards are built once per content pack and reused on every visit; the catalogue's
        # twenty cards took over a second to build, so a first visit now builds only the top
        # ones before it shows and fills in the rest over the next frames.
        self._cards: dict[str, Card] = {}
        self._cards_of: Any = None
        self._pending: list[model.Product] = []

    def show(self, product_class: str = "", product: str = "", **params: Any) -> None:
        pack = self.app.content.pack
        if self._cards_of is not pack:
            self._cards, self._cards_of = {}, pack
        grouped = browse.products_by_class(pack)
        chosen = next((p for p in pack.products if p.id == product), None)
        if chosen is not None:
            product_class = chosen.product_class
        self._tabs(grouped, product_class)
        box = self.ids.cards
        box.clear_widgets()
        self._pending = []
        if chosen is not None:
            box.add_widget(self._card(chosen))
            everything = SecondaryButton(source=strings.PRODUCTS_SHOW_ALL, action="products-all")
            everything.bind(on_release=lambda _b: self.show(product_class=chosen.product_class))
            box.add_widget(everything)
        else:
            shown = [
                p
                for group, products in grouped.items()
                if not product_class or group == product_class
                for p in products
            ]
            if not shown:
                box.add_widget(WrapLabel(source=strings.PRODUCTS_EMPTY))
            for item in shown[:FIRST_CARDS]:
                box.add_widget(self._card(item))
            self._pending = shown[FIRST_CARDS:]
        self.filling = bool(self._pending)
        if self._pending:
            Clock.schedule_once(self._fill_more, 0)
        self.ids.scroll.scroll_y = 1

    def _card(self, product: model.Product) -> Card:
        card = self._cards.get(product.id)
        if card is None:
            card = self._cards[product.id] = product_card(product)
        return card

    def _fill_more(self, _dt: float) -> None:
        batch, self._pending = self._pending[:CARDS_PER_FRAME], self._pending[CARDS_PER_FRAME:]
        for item in batch:
            self.ids.cards.add_widget(self._card(item))
        self.filling = bool(self._pending)
        if self._pending:
            Clock.schedule_once(self._fill_more, 0)

    def _tabs(self, grouped: dict[str, list[model.Product]], current: str) -> None:
        tabs = self.ids.tabs
        tabs.clear_widgets()
        choices = [("", strings.PRODUCTS_ALL)] + [
            (group, model.PRODUCT_CLASS_NAMES.get(group, group)) for group in grouped
        ]
        for group, label in choices:
            selected = group == current
            button = SmallButton(
                source=label,
                action=f"product-class:{group or 'all'}",
                background=theme.PRIMARY if selected else theme.NAV_BUTTON,
                color=theme.PRIMARY_TEXT if selected else theme.NAV_TEXT,
                outline=[0, 0, 0, 0] if selected else theme.PRIMARY,
            )
            button.bind(on_release=lambda _b, g=group: self.show(product_class=g))
            tabs.add_widget(button)

    def on_size(self, *_: Any) -> None:
        landscape = self.width > self.height
        self.ids.tabs.cols = 6 if landscape else 3
        self.ids.cards.cols = 2 if landscape else 1


def _catalogue(driver: Any) -> None:
    driver.app.reset_session()
    driver.app.go("directory")
    driver.app.go("directory-products")


def _one(driver: Any) -> None:
    app = driver.app
    app.reset_session()
    app.go("directory")
    products = app.content.pack.products
    app.go("directory-products", product=products[0].id if products else "")


TOUR_STOPS = [("directory-products", _catalogue), ("directory-product", _one)]

load_kv(__file__)
