"""Lists that grow with the archive, cut into numbered pages that link to their neighbours."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import NamedTuple, TypeVar

from site_builder.urls import paged_path

Item = TypeVar("Item")
NEAR = 2  # pages linked on either side of the current one, besides the first and the last


class Pager(NamedTuple):
    """Page `number` of `count` of a list whose first page is at `first`."""

    first: str
    number: int
    count: int

    @property
    def path(self) -> str:
        return paged_path(self.first, self.number)

    @property
    def previous(self) -> str:
        """The site path of the page before this one ("" on the first)."""
        return paged_path(self.first, self.number - 1) if self.number > 1 else ""

    @property
    def next(self) -> str:
        """The site path of the page after this one ("" on the last)."""
        return paged_path(self.first, self.number + 1) if self.number < self.count else ""

    def links(self) -> tuple[tuple[int, str], ...]:
        """The pages a pager shows, as (number, site path), with (0, "") where it skips some:
        the first, the last, and those near this one."""
        shown = sorted({1, self.count, *range(max(1, self.number - NEAR),
                                              min(self.count, self.number + NEAR) + 1)})
        found: list[tuple[int, str]] = []
        for number in shown:
            if found and number > found[-1][0] + 1:
                found.append((0, ""))
            found.append((number, paged_path(self.first, number)))
        return tuple(found)


def pagers(first: str, total: int, per_page: int) -> Iterator[Pager]:
    """A pager for each page of a list of `total` items (one page when it is empty)."""
    count = max(1, -(-total // per_page))
    for number in range(1, count + 1):
        yield Pager(first, number, count)


def page_of(items: Sequence[Item], number: int, per_page: int) -> Sequence[Item]:
    """The items on page `number` of a list."""
    return items[(number - 1) * per_page:number * per_page]
