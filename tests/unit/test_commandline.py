"""What every `kiosk` verb shares (kiosk.commandline): verb groups and the day argument."""

from __future__ import annotations

import pytest

from kiosk.cli import build_parser


def parse(*words: str):
    return build_parser().parse_args(list(words))


def test_a_group_without_its_action_is_a_clear_usage_error(capsys):
    for verb in ("ticket", "printer", "hall", "stats", "feedback", "pack", "notice", "admin"):
        with pytest.raises(SystemExit) as stop:
            parse(verb)
        assert stop.value.code == 2
        assert f"kiosk {verb}: error: the following arguments are required: ACTION" in (
            capsys.readouterr().err
        )


def test_kiosk_pack_holds_the_actions_of_packs_and_of_sync():
    """Two modules add actions to one `kiosk pack` group, whichever registers first."""
    assert parse("pack", "validate", "content/yubei").pack_verb == "validate"
    args = parse("pack", "serve", "out/pack", "--port", "0")
    assert args.pack_verb == "serve" and args.port == 0


def test_a_day_must_be_written_like_2026_03_01(capsys):
    assert str(parse("ticket", "list", "--date", "2026-03-01").date) == "2026-03-01"
    assert str(parse("eligibility", "stats", "--since", "2026-03-01").since) == "2026-03-01"
    for words in (
        ("ticket", "list", "--date", "2026-13-01"),
        ("eligibility", "stats", "--since", "3/1"),
    ):
        with pytest.raises(SystemExit):
            parse(*words)
        assert "expected a date YYYY-MM-DD, e.g. 2026-03-01" in capsys.readouterr().err


def test_run_and_tour_share_the_window_size_and_content_options():
    run = parse("run", "--size", "1080x1920", "--content", "content/yubei")
    tour = parse("tour", "--out", "x", "--size", "1080x1920", "--content", "content/yubei")
    assert run.size == tour.size == (1080, 1920)
    assert run.content == tour.content == "content/yubei"
