"""Browsing lists, the entries a pack gives the search, and what detail-page QR codes carry."""

from __future__ import annotations

import pytest

from kiosk.directory import browse, kinds, qrtarget
from kiosk.directory.entries import pack_entries
from kiosk.directory.readings import Reader
from kiosk.directory.search import SearchIndex
from kiosk.packs import model
from kiosk.packs.source import load_source
from tests.directory_content import CENTER_PHONE, NAV_LINK, write_content


@pytest.fixture(scope="module")
def pack(tmp_path_factory) -> model.Pack:
    return load_source(write_content(tmp_path_factory.mktemp("content") / "pack"))


def names(places) -> list[str]:
    return [p.name for p in places]


def test_levels_list_the_own_site_first(pack):
    stations = browse.sites_at_level(pack, "station", "tongjing")
    assert names(stations) == [
        "渝北区统景镇公共法律服务工作站",
        "渝北区双龙湖街道公共法律服务工作站",
    ]
    assert [p.own for p in stations] == [True, False]
    assert names(browse.sites_at_level(pack, "center", None)) == ["渝北区公共法律服务中心"]


def test_towns_in_pack_order_without_the_district_itself(pack):
    assert browse.towns(pack) == ["双龙湖街道", "统景镇"]
    assert browse.towns(pack, level="room") == ["双龙湖街道", "统景镇"]


def test_places_in_a_town_station_then_rooms_then_institutions(pack):
    places = browse.places_in_town(pack, "双龙湖街道", None)
    assert names(places) == [
        "渝北区双龙湖街道公共法律服务工作站",
        "双龙湖街道龙湖社区公共法律服务工作室",
        "重庆市渝北区公证处",
        "重庆示例司法鉴定所",
        "双龙湖街道人民调解委员会",
    ]
    rooms = browse.places_in_town(pack, "统景镇", None, level="room")
    assert names(rooms) == ["统景镇印盒村公共法律服务工作室"]


def test_places_for_a_kind_of_help_nearest_first(pack):
    mediation = browse.places_for_help(pack, "mediation", "shuanglonghu")
    assert names(mediation)[:3] == [
        "渝北区双龙湖街道公共法律服务工作站",  # you are here
        "双龙湖街道人民调解委员会",  # sits in this site
        "渝北区公共法律服务中心",  # the district center
    ]
    assert "渝北区统景镇公共法律服务工作站" in names(mediation)
    legal_aid = names(browse.places_for_help(pack, "legal_aid", None))
    assert "渝北区法律援助中心" in legal_aid
    assert "渝北区双龙湖街道公共法律服务工作站" in legal_aid, "法律援助初审 counts as legal aid"
    assert names(browse.places_for_help(pack, "notary", None)) == [
        "渝北区公共法律服务中心",
        "重庆市渝北区公证处",
    ]
    lawyers = names(browse.places_for_help(pack, "lawyer", None))
    assert "重庆渝律律师事务所" in lawyers, "a law firm offers 律师 by its kind alone"


def test_products_grouped_in_the_seed_classes_order(pack):
    grouped = browse.products_by_class(pack)
    assert list(grouped) == ["mediation", "legal_aid", "notary"]
    assert grouped["notary"][0].name == "小额继承公证免费办理"


def test_kinds_accept_ids_and_chinese():
    assert kinds.service_id("法律援助") == "legal_aid"
    assert kinds.service_id("legal_aid") == "legal_aid"
    assert kinds.institution_kind("调委会") == "mediation"
    assert kinds.institution_kind_name("law_firm") == "律师事务所"
    assert kinds.help_kinds(["公证", "education"], "律所") == ("consultation", "notary", "lawyer")
    assert kinds.service_name("unknown-thing") == "unknown-thing"


def test_pack_entries_feed_the_search(pack):
    entries = pack_entries(pack, "center")
    ids = {e.id for e in entries}
    assert "site:tj-room" in ids and "institution:firm" in ids
    assert "window:center/legal-aid" in ids
    assert not any(i.startswith("window:shuanglonghu") for i in ids), "only this site's windows"
    assert {"help:legal_aid", "product:inheritance-notary", "duty:slh-wed"} <= ids
    index = SearchIndex(entries, own_site="center", reader=Reader())
    top = index.search("FLYZ").hits
    assert [h.entry.id for h in top[:2]] == ["window:center/legal-aid", "help:legal_aid"]
    assert top[0].own
    assert index.search("zxm").hits[0].entry.id == "duty:slh-wed", "曾 of a person is zeng"
    assert index.search("jicheng").hits[0].entry.id == "product:inheritance-notary"


def test_qr_payload_navigation_link_contact_card_or_none(pack):
    assert qrtarget.payload(pack.site("tongjing")) == NAV_LINK
    card = qrtarget.payload(pack.site("center"))
    assert qrtarget.is_card(card)
    assert "FN:渝北区公共法律服务中心" in card and f"TEL;TYPE=WORK,VOICE:{CENTER_PHONE}" in card
    unverified = qrtarget.payload(pack.site("shuanglonghu"))  # phone 待核实, address known
    assert "TEL" not in unverified and "待核实" not in unverified
    assert "ADR;TYPE=WORK:;;双龙湖街道综治中心二楼" in unverified
    nothing_known = model.Site(id="x", name="某工作室", level="room", phone="待核实")
    assert qrtarget.payload(nothing_known) == "", "no card with nothing but a name"
    assert qrtarget.payload(pack.site("tj-room")) == ""
    firm = next(i for i in pack.institutions if i.id == "firm")
    assert "023-67844444" in qrtarget.payload(firm)
