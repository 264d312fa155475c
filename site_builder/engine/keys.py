"""Page keys: what a page's context stands for, so that equal keys render equal pages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from markupsafe import Markup

from site_builder.cards import CardText
from site_builder.engine.digest import digest
from site_builder.engine.texts import StoredText
from site_builder.model.dates import PartialDate
from site_builder.model.records import Brief, Company, Standalone
from site_builder.model.site import Entry, Tag
from site_builder.plan.chart import Chart
from site_builder.plan.outline import BriefCard, CompanyCard, PageCard
from site_builder.plan.views import TimelineFilters, TimelineItem

_RECORDS = {Brief: "brief", Company: "company", Standalone: "page"}
_SHARED = {BriefCard, CompanyCard, PageCard, TimelineItem, Entry, Tag}
_VALUES = {str, Markup, int, float, bool, type(None), PartialDate, CardText, Chart,
           TimelineFilters}  # plain data all through, digested as they are
Held = tuple[str, str]


class ContextKeys:
    """Digests of the values page contexts are made of.

    The cards and timeline items, shared by many pages and alive for the whole build, are
    digested once each (found again by identity; `known` gives the digests the engine already
    has); a whole record stands for itself by name, and is returned among the page's
    holdings, whose own fingerprints complete the key.
    """

    def __init__(self, known: dict[int, tuple[Any, str]] | None = None) -> None:
        self.shared: dict[int, tuple[Any, str]] = dict(known or {})

    def key(self, *parts: Any, context: Mapping[str, Any]) -> tuple[str, tuple[Held, ...]]:
        """The digest of `parts` and a context, and the records the context holds."""
        holds: dict[Held, None] = {}
        shape = [(name, self._of(value, holds)) for name, value in context.items()]
        return digest(parts, shape), tuple(holds)

    def _of(self, value: Any, holds: dict[Held, None]) -> Any:
        kind = type(value)
        if kind in _VALUES:
            return value
        if kind in _SHARED:
            known = self.shared.get(id(value))
            if known is None or known[0] is not value:
                known = self.shared[id(value)] = (value, self._digest(value))
            return known[1]
        record = _RECORDS.get(kind)
        if record is not None:
            holds[(record, value.slug)] = None
            return record, value.slug
        if kind is StoredText:
            return value.digest
        if isinstance(value, (tuple, list)):
            return tuple([self._of(item, holds) for item in value])
        if isinstance(value, dict):
            return tuple((k, self._of(v, holds)) for k, v in value.items())
        return repr(value)

    def _digest(self, value: Any) -> str:
        """The digest of a shared value; a timeline item's is made of its parts' digests."""
        if type(value) is TimelineItem:
            return digest(value.entry, [self._of(card, {}) for card in
                                        (value.brief, *value.companies)])
        return digest(value)
