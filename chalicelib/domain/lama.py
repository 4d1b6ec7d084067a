"""Durations and shares written as people read them, in Indonesian."""

from __future__ import annotations


def lama(seconds: float | None) -> str:
    """A duration in Indonesian: "45 detik", "12 menit", "3 jam 5 menit", "2 hari 4 jam"; "-" for
    None."""
    if seconds is None:
        return "-"
    s = round(seconds)
    if s < 60:
        return f"{s} detik"
    minutes = s // 60
    if minutes < 60:
        return f"{minutes} menit"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} jam {minutes} menit" if minutes else f"{hours} jam"
    days, hours = divmod(hours, 24)
    return f"{days} hari {hours} jam" if hours else f"{days} hari"


def percent(share: float | None) -> str:
    """A share 0-1 as "87 %"; "-" for None."""
    return "-" if share is None else f"{round(share * 100)} %"
