"""One NIK's cards at an office as the table keeps them (models.PersonCard, models.PersonFiling):
read here; written by services/one_card.py through adapters/transact.py at the item's version."""

from __future__ import annotations

from chalicelib.adapters.models import PersonCard, PersonFiling


def card(office: str, product: str, nik: str) -> PersonCard | None:
    """The NIK's card item (consistent read), or None while nothing was ever filed for it."""
    try:
        return PersonCard.get(*PersonCard.key(office, product, nik), consistent_read=True)
    except PersonCard.DoesNotExist:
        return None


def new_card(office: str, product: str, nik: str) -> PersonCard:
    """The item for a NIK never filed before (not yet written)."""
    return PersonCard(*PersonCard.key(office, product, nik), office=office, product=product)


def filings(office: str, product: str, nik: str, limit: int = 50) -> list[PersonFiling]:
    """Every filing of the NIK at the office for the product, oldest first (by case id order of
    the key; callers sort by `at`), at most `limit`."""
    partition = PersonCard.partition(office, product, nik)
    found = PersonFiling.query(
        partition, PersonFiling.SK.startswith(PersonFiling.PREFIX), consistent_read=True, limit=limit
    )
    return [f for f in found if isinstance(f, PersonFiling)]
