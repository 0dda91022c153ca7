"""Read a content pack's sources (the folder staff edit) into the model.

Layout of `content/<pack>/` (documented for staff in content/README.md):

    pack.yaml        id, name
    sites.yaml       sites: [...]           the 中心, 工作站, 工作室 with hours and windows
    services.yaml    services: [...]        queue services per site
    institutions.csv (or .xlsx)             law firms, notaries, 鉴定, 调委会, legal-aid stations
    products.yaml    products: [...]        service products (five classes, seven fields)
    rosters.yaml     duty: [...]            who is on duty when
    calendar.yaml    holidays, workdays     public holidays and 调休 working days
    contacts.yaml    contacts: [...]        12348, complaint lines, platforms
    notices.yaml     notices: [...]
    videos.yaml      videos: [...]          metadata; files under media/
    pages/<site or _all>/*.md               disclosure pages (front matter + Markdown)
    legal_aid/       rules for the eligibility walkthrough

A value containing 待核实 marks that field as unverified: the kiosk shows it as such.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable
from dataclasses import fields
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, TypeVar

from kiosk.errors import KioskError
from kiosk.packs import model

UNVERIFIED = "待核实"
T = TypeVar("T")


class SourceError(KioskError):
    """A source file cannot be read; `kiosk pack validate` lists every such problem."""


def load_source(folder: Path) -> model.Pack:
    """Parse every source file of a pack folder into a Pack."""
    folder = Path(folder)
    if not (folder / "pack.yaml").is_file():
        raise SourceError(f"{folder}: not a content pack folder (pack.yaml is missing)")
    head = _yaml(folder / "pack.yaml")
    calendar = _calendar(_yaml(folder / "calendar.yaml", {}))
    files = {
        str(p.relative_to(folder)).replace("\\", "/"): str(p)
        for p in folder.rglob("*")
        if p.is_file()
    }
    return model.Pack(
        id=str(head.get("id", folder.name)),
        name=str(head.get("name", "")),
        version=int(head.get("version", 0) or 0),
        sites=tuple(_site(item) for item in _list(folder / "sites.yaml", "sites")),
        institutions=tuple(_institution(row) for row in _table(folder, "institutions")),
        services=tuple(_service(item) for item in _list(folder / "services.yaml", "services")),
        products=tuple(_product(item) for item in _list(folder / "products.yaml", "products")),
        rosters=tuple(_duty(item) for item in _list(folder / "rosters.yaml", "duty")),
        calendar=calendar,
        pages=tuple(_pages(folder / "pages")),
        videos=tuple(_video(item) for item in _list(folder / "videos.yaml", "videos")),
        notices=tuple(_notice(item) for item in _list(folder / "notices.yaml", "notices")),
        contacts=tuple(_contact(item) for item in _list(folder / "contacts.yaml", "contacts")),
        legal_aid=_yaml(folder / "legal_aid" / "rules.yaml", {}),
        files=files,
    )


# --- files ---------------------------------------------------------------------------------


def _yaml(file: Path, missing: Any = None) -> Any:
    import yaml

    if not file.exists():
        if missing is None:
            raise SourceError(f"{file}: file is missing")
        return missing
    try:
        return yaml.safe_load(file.read_text(encoding="utf-8")) or missing or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise SourceError(f"{file}: cannot be read as YAML ({exc})") from None


def _list(file: Path, key: str) -> list[dict[str, Any]]:
    data = _yaml(file, {})
    items = data.get(key, []) if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise SourceError(f"{file}: expected a list under '{key}:'")
    return [item for item in items if isinstance(item, dict)]


def _table(folder: Path, stem: str) -> list[dict[str, str]]:
    file = folder / f"{stem}.csv"
    if not file.exists():
        return []
    with file.open(encoding="utf-8-sig", newline="") as handle:
        return [
            {k.strip(): (v or "").strip() for k, v in row.items() if k}
            for row in csv.DictReader(handle)
        ]


# --- values --------------------------------------------------------------------------------

_DAY_INDEX = {name: i for i, name in enumerate(model.WEEKDAY_NAMES)}
_DAY_INDEX.update({"星期" + "一二三四五六日"[i]: i for i in range(7)})
_DAY_INDEX["周天"] = _DAY_INDEX["星期天"] = 6


def parse_days(spec: str) -> tuple[int, ...]:
    """'周一至周五' / '周六、周日' / '每天' -> weekday numbers (0 = Monday)."""
    spec = spec.strip()
    if spec in {"每天", "每日", "全周"}:
        return tuple(range(7))
    days: list[int] = []
    for part in re.split(r"[、,，/]", spec):
        part = part.strip()
        if not part:
            continue
        bounds = re.split(r"至|到|-|~|—", part)
        if len(bounds) == 2 and all(b.strip() in _DAY_INDEX for b in bounds):
            first, last = (_DAY_INDEX[b.strip()] for b in bounds)
            days.extend(range(first, last + 1))
        elif part in _DAY_INDEX:
            days.append(_DAY_INDEX[part])
        else:
            raise ValueError(f"'{part}' is not a day of the week")
    return tuple(sorted(set(days)))


def parse_intervals(spec: str) -> tuple[model.Interval, ...]:
    """'09:00-12:00, 14:00-17:30' -> intervals; '休息' or '' -> none."""
    spec = spec.strip()
    if spec in {"", "休息", "闭馆", "不开放"}:
        return ()
    result = []
    for part in re.split(r"[,，、;；]", spec):
        part = part.strip()
        if not part:
            continue
        match = re.fullmatch(r"(\d{1,2}):(\d{2})\s*[-–—~至]\s*(\d{1,2}):(\d{2})", part)
        if not match:
            raise ValueError(f"'{part}' is not a time range like 09:00-12:00")
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        start = time(h1, m1)
        end = time(23, 59, 59) if (h2, m2) == (24, 0) else time(h2, m2)
        if end <= start:
            raise ValueError(f"'{part}' ends before it starts")
        result.append((start, end))
    return tuple(sorted(result))


def parse_hours(spec: Any) -> model.Hours:
    if not spec:
        return model.Hours()
    if not isinstance(spec, dict):
        raise SourceError(f"opening hours must be a mapping of days to times, not {spec!r}")
    weekly: list[tuple[model.Interval, ...]] = [()] * 7
    note = str(spec.get("备注", spec.get("note", "")) or "")
    for days, times in spec.items():
        if days in {"备注", "note"}:
            continue
        for day in parse_days(str(days)):
            weekly[day] = parse_intervals(str(times or ""))
    return model.Hours(weekly=tuple(weekly), note=note)


def _date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value).strip())


def _datetime(value: Any) -> datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, time())
    return datetime.fromisoformat(str(value).strip())


def _tuple(value: Any) -> tuple[str, ...]:
    if value in (None, ""):
        return ()
    if isinstance(value, list | tuple):
        return tuple(str(v).strip() for v in value if str(v).strip())
    return tuple(p.strip() for p in re.split(r"[、,，;；]", str(value)) if p.strip())


def _text(item: dict[str, Any], key: str) -> str:
    value = item.get(key)
    return "" if value is None else str(value).strip()


def _unverified(item: dict[str, Any]) -> tuple[str, ...]:
    return tuple(k for k, v in item.items() if isinstance(v, str) and UNVERIFIED in v)


def _currency(item: dict[str, Any]) -> model.Currency:
    return model.Currency(
        source=_text(item, "source"),
        effective_from=_date(item.get("effective_from")),
        reviewed_on=_date(item.get("reviewed_on")),
        review_due=_date(item.get("review_due")),
    )


def _build(cls: Callable[..., T], item: dict[str, Any], **values: Any) -> T:
    """Fill the text fields of `cls` from `item`, then the converted ones from `values`."""
    names = {f.name for f in fields(cls)}  # type: ignore[arg-type]
    plain = {k: _text(item, k) for k in names if k in item and k not in values}
    return cls(**plain, **values)


# --- items ---------------------------------------------------------------------------------


def _site(item: dict[str, Any]) -> model.Site:
    windows = tuple(
        _build(model.Window, w, services=_tuple(w.get("services")))
        for w in item.get("windows") or []
        if isinstance(w, dict)
    )
    return _build(
        model.Site,
        item,
        parent=_text(item, "parent") or None,
        hours=parse_hours(item.get("hours")),
        services=_tuple(item.get("services")),
        windows=windows,
        unverified=_unverified(item),
        currency=_currency(item),
    )


def _institution(row: dict[str, Any]) -> model.Institution:
    return _build(
        model.Institution,
        row,
        services=_tuple(row.get("services")),
        site=_text(row, "site") or None,
        unverified=_unverified(row),
        currency=_currency(row),
    )


def _service(item: dict[str, Any]) -> model.Service:
    return _build(
        model.Service,
        item,
        windows=_tuple(item.get("windows")),
        hours=parse_hours(item["hours"]) if item.get("hours") else None,
        daily_cap=int(item.get("daily_cap") or 0),
        priority=bool(item.get("priority", False)),
        priority_groups=_tuple(item.get("priority_groups")),
        bring=_tuple(item.get("bring")),
    )


def _product(item: dict[str, Any]) -> model.Product:
    return _build(
        model.Product,
        item,
        product_class=_text(item, "class"),
        unverified=_unverified(item),
        currency=_currency(item),
    )


def _duty(item: dict[str, Any]) -> model.DutyRule:
    nth = item.get("nth_weekday")
    return _build(
        model.DutyRule,
        item,
        weekdays=parse_days(str(item["weekdays"])) if item.get("weekdays") else (),
        month_days=tuple(int(d) for d in _tuple(item.get("month_days"))),
        nth_weekday=(int(nth[0]), parse_days(str(nth[1]))[0]) if nth else None,
        dates=tuple(_date(d) for d in _tuple(item.get("dates"))),
        except_dates=tuple(_date(d) for d in _tuple(item.get("except_dates"))),
        skip_holidays=bool(item.get("skip_holidays", True)),
        hours=parse_intervals(str(item.get("hours") or "")),
        start=_date(item.get("start")),
        end=_date(item.get("end")),
    )


def _calendar(data: dict[str, Any]) -> model.Calendar:
    holidays: dict[date, str] = {}
    for entry in data.get("holidays") or []:
        if isinstance(entry, dict):
            first = _date(entry.get("from") or entry.get("date"))
            last = _date(entry.get("to")) or first
            name = _text(entry, "name")
            day = first
            while day and last and day <= last:
                holidays[day] = name
                day = date.fromordinal(day.toordinal() + 1)
        else:
            holidays[_date(entry)] = ""  # type: ignore[index]
    workdays = frozenset(_date(d) for d in data.get("workdays") or [])
    return model.Calendar(
        holidays=frozenset(holidays),
        extra_workdays=workdays,
        names=holidays,  # type: ignore[arg-type]
    )


def _pages(folder: Path) -> Iterable[model.Page]:
    if not folder.is_dir():
        return
    for file in sorted(folder.rglob("*.md")):
        meta, body = split_front_matter(file.read_text(encoding="utf-8"))
        site = file.parent.name if file.parent != folder else "*"
        yield model.Page(
            id=str(meta.get("id") or f"{site}/{file.stem}"),
            site="*" if site == "_all" else site,
            title=str(meta.get("title") or file.stem),
            topic=str(meta.get("topic") or "general"),
            body=body,
            order=int(meta.get("order") or 0),
            currency=_currency(meta),
        )


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """'---\\nkey: value\\n---\\nbody' -> ({key: value}, body)."""
    import yaml

    if text.startswith("---"):
        end = text.find("\n---", 3)
        if end != -1:
            meta = yaml.safe_load(text[3:end]) or {}
            return (meta if isinstance(meta, dict) else {}), text[end + 4 :].lstrip("\n")
    return {}, text


def _video(item: dict[str, Any]) -> model.Video:
    return _build(
        model.Video,
        item,
        duration=int(item.get("duration") or 0),
        topics=_tuple(item.get("topics")),
        currency=_currency(item),
    )


def _notice(item: dict[str, Any]) -> model.Notice:
    return _build(
        model.Notice,
        item,
        start=_datetime(item.get("start")),
        end=_datetime(item.get("end")),
        sites=_tuple(item.get("sites")),
    )


def _contact(item: dict[str, Any]) -> model.Contact:
    return _build(
        model.Contact,
        item,
        sites=_tuple(item.get("sites")),
        unverified=_unverified(item),
    )


# Files compiled into the pack's content; every other file of the folder is carried as is.
SOURCE_NAMES = frozenset(
    {
        "pack.yaml",
        "sites.yaml",
        "services.yaml",
        "institutions.csv",
        "institutions.xlsx",
        "products.yaml",
        "rosters.yaml",
        "calendar.yaml",
        "contacts.yaml",
        "notices.yaml",
        "videos.yaml",
        "legal_aid/rules.yaml",
    }
)
IGNORED_NAMES = frozenset({"thumbs.db", "desktop.ini", "readme.md", "readme.txt"})


def is_source(logical: str) -> bool:
    return logical in SOURCE_NAMES or (logical.startswith("pages/") and logical.endswith(".md"))


def is_ignored(logical: str) -> bool:
    """Hidden files, editors' lock and backup files: never carried."""
    parts = logical.split("/")
    name = parts[-1]
    return (
        any(part.startswith(".") for part in parts)
        or name.startswith("~$")
        or name.endswith("~")
        or name.lower() in IGNORED_NAMES
    )


def carried_files(folder: Path) -> dict[str, Path]:
    """logical path -> file, for every file a built pack carries besides its content."""
    folder = Path(folder)
    result = {}
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        logical = path.relative_to(folder).as_posix()
        if not is_source(logical) and not is_ignored(logical):
            result[logical] = path
    return result
