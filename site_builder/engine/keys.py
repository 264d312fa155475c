"""Page keys: what a page's context stands for, so that equal keys render equal pages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from site_builder.engine.digest import digest
from site_builder.engine.texts import StoredText
from site_builder.model.records import Brief, Company, Standalone
from site_builder.model.site import Entry, Tag
from site_builder.plan.outline import BriefCard, CompanyCard, PageCard
from site_builder.plan.views import TimelineItem

_RECORDS = {Brief: "brief", Company: "company", Standalone: "page"}
_SHARED = (BriefCard, CompanyCard, PageCard, TimelineItem, Entry, Tag)
_PLAIN = (str, int, float, bool, type(None))
Held = tuple[str, str]


class ContextKeys:
    """Digests of the values page contexts are made of.

    The cards and timeline items, shared by many pages and alive for the whole build, are
    digested once each (found again by identity); a whole record stands for itself by name,
    and is returned among the page's holdings, whose own fingerprints complete the key.
    """

    def __init__(self) -> None:
        self.shared: dict[int, tuple[Any, str]] = {}

    def key(self, *parts: Any, context: Mapping[str, Any]) -> tuple[str, tuple[Held, ...]]:
        """The digest of `parts` and a context, and the records the context holds."""
        holds: dict[Held, None] = {}
        shape = [(name, self._of(value, holds)) for name, value in context.items()]
        return digest(parts, shape), tuple(holds)

    def _of(self, value: Any, holds: dict[Held, None]) -> Any:
        if isinstance(value, _PLAIN):
            return value
        kind = _RECORDS.get(type(value))
        if kind is not None:
            holds[(kind, value.slug)] = None
            return kind, value.slug
        if isinstance(value, StoredText):
            return value.digest
        if isinstance(value, _SHARED):
            known = self.shared.get(id(value))
            if known is None or known[0] is not value:
                known = self.shared[id(value)] = (value, digest(value))
            return known[1]
        if isinstance(value, (tuple, list)):
            return tuple(self._of(item, holds) for item in value)
        if isinstance(value, dict):
            return tuple((k, self._of(v, holds)) for k, v in value.items())
        return repr(value)
