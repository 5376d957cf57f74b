"""A community's registry names, for the anonymiser (linli.core.anonymise) to remove from public text."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable

from django.db.models import Count, Max

from linli.core.anonymise import Names
from linli.residents.models import Resident

#: Registries kept between requests in this process: community id -> (version, Names). A community's version is
#: its residents' count and latest change, so a new, renamed or deleted resident is seen on the next request.
_REGISTRY_CACHE: OrderedDict[int, tuple[tuple, Names]] = OrderedDict()
REGISTRY_CACHE_SIZE = 32
_REGISTRY_LOCK = threading.Lock()


class CommunityNames:
    """Every registry name of a community (residents of any status: moved out and deceased still have
    neighbours who know them), read once per community for one page or API response, and kept in the process
    while the community's registry is unchanged (one small aggregate query tells)."""

    def __init__(self):
        self._by_community: dict[int, Names] = {}

    def load(self, community_ids: Iterable[int]) -> None:
        missing = {c for c in community_ids if c and c not in self._by_community}
        if not missing:
            return
        versions = {
            row["community_id"]: (row["n"], row["last"])
            for row in Resident.objects.filter(community_id__in=missing)
            .values("community_id")
            .annotate(n=Count("id"), last=Max("updated_at"))
            .order_by()
        }
        stale = set()
        with _REGISTRY_LOCK:
            for community_id in missing:
                cached = _REGISTRY_CACHE.get(community_id)
                if cached is not None and cached[0] == versions.get(community_id, (0, None)):
                    _REGISTRY_CACHE.move_to_end(community_id)
                    self._by_community[community_id] = cached[1]
                else:
                    stale.add(community_id)
        if not stale:
            return
        found: dict[int, set] = {c: set() for c in stale}
        rows = Resident.objects.filter(community_id__in=stale).values_list("community_id", "name")
        for community_id, name in rows.iterator(chunk_size=5000):
            found[community_id].add(name)
        with _REGISTRY_LOCK:
            for community_id, names in found.items():
                index = self._by_community[community_id] = Names(names)
                _REGISTRY_CACHE[community_id] = (versions.get(community_id, (0, None)), index)
                _REGISTRY_CACHE.move_to_end(community_id)
            while len(_REGISTRY_CACHE) > REGISTRY_CACHE_SIZE:
                _REGISTRY_CACHE.popitem(last=False)

    def __getitem__(self, community_id: int) -> Names:
        if community_id not in self._by_community:
            self.load([community_id])
        return self._by_community.get(community_id) or Names()
