"""Values computed from the database and kept in the shared cache until what they are computed
from changes: never for a fixed time during which they could be wrong.

Each kind of data has a generation, a random token in the cache. A value is stored with the
token it was computed under and served only while that token is still the generation; `bump`
renews the token when the data changes, so the next reader computes afresh. One round trip
reads both the generation and the value; a large value a process keeps itself costs a round
trip for the generation alone.

`bump` renews the token at once and again when the transaction commits: a reader that computed
from the data before the commit and stored its value under the first new token is then
outdated too. Within one transaction a generation is renewed again only after someone read
it, and its renewal on commit is queued once, so a transaction that saves a thousand counted
rows costs two renewals, not two thousand. An evicted generation is simply a new one (a value
never matches it), so losing cache entries costs a recomputation, never a stale value.

Each renewal is also announced to every process (core.notices), so that one may keep a value
in its own memory for as long as it hears of no renewal, without asking the shared cache.
"""

import uuid
from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction

from . import notices

PREFIX = "generation:"
# The public counts of the site: the impact figures, the initiatives and events lists' options and
# totals, the sitemap's sizes (what renews it: kopienas.figures.freshness).
PUBLIC_COUNTS = "figures"
# The longest a value is kept before it is computed again anyway: the cache's own housekeeping,
# not a freshness limit (a change makes a value unreachable at once).
KEEP_SECONDS = 24 * 60 * 60


def _token() -> str:
    return uuid.uuid4().hex


def _renew(names) -> None:
    cache.set_many({PREFIX + name: _token() for name in names}, timeout=None)
    # After the shared cache holds the new tokens: a process that hears of the renewal and then
    # asks the cache gets the new ones (core.notices).
    notices.announce(names)


class _RenewOnCommit:
    """The renewal queued for the commit of the current transaction, once per generation.

    `unread` says the generation was renewed in this transaction and nobody in it has read
    it since: a further change before the commit need not renew it again (publishing a round
    saves a thousand applications; one renewal serves them all). Dropped with the transaction
    if it rolls back, so the next one starts afresh."""

    def __init__(self, name: str):
        self.name = name
        self.unread = False

    def __call__(self) -> None:
        _renew([self.name])


def _queued(name: str) -> _RenewOnCommit | None:
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return None
    for _savepoints, func, _robust in connection.run_on_commit:
        if isinstance(func, _RenewOnCommit) and func.name == name:
            return func
    return None


def bump(*names: str) -> None:
    """The data behind `names` changed (or is changing in the current transaction)."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _renew(names)
        return
    for name in names:
        queued = _queued(name)
        if queued is None:
            queued = _RenewOnCommit(name)
            transaction.on_commit(queued)
        if not queued.unread:
            _renew([name])
            queued.unread = True


# Values kept in this process too (`cached(..., local=True)`), by value key: (generation, value).
_local: dict[str, tuple[str, object]] = {}


def _generation(generation_key: str, found: str | None) -> str:
    if found is not None:
        return found
    generation = _token()
    if not cache.add(generation_key, generation, timeout=None):
        generation = cache.get(generation_key) or generation
    return generation


def read(names: list[str], *keys: str) -> tuple[list[str], dict]:
    """The current token of each generation in `names`, and whatever of `keys` the cache
    holds, in one round trip (core.pagecache). A generation read here counts as read: a change
    later in the same transaction renews it again."""
    for name in names:
        queued = _queued(name)
        if queued is not None:
            # Read in the transaction that is changing the data: a further change must renew.
            queued.unread = False
    generation_keys = [PREFIX + name for name in names]
    found = cache.get_many([*generation_keys, *keys])
    tokens = [_generation(key, found.get(key)) for key in generation_keys]
    return tokens, {key: found[key] for key in keys if key in found}


def cached[T](
    name: str,
    key: tuple,
    compute: Callable[[], T],
    *,
    holds: Callable[[T], bool] | None = None,
    local: bool = False,
) -> T:
    """`compute()`'s value for `key` (a tuple of names and numbers), from the cache while
    generation `name` is unchanged.

    `holds`, for a value that the passing of time outdates too (how many events are still to
    come): whether a stored value still holds now; one that no longer does is computed afresh.

    `local`, for a large value under a fixed key (a thousand communities with their <option>s
    written): this process keeps it too, under the same generation, so a request reads only
    the generation's token from the shared cache rather than fetching and unpickling the
    value. The caller must not change the value it gets."""
    queued = _queued(name)
    if queued is not None:
        # Read in the transaction that is changing the data: a further change must renew.
        queued.unread = False
    generation_key = PREFIX + name
    value_key = ":".join([name, *("-" if part is None else str(part) for part in key)])
    if local:
        generation = _generation(generation_key, cache.get(generation_key))
        kept = _local.get(value_key)
        if kept is not None and kept[0] == generation and (holds is None or holds(kept[1])):
            return kept[1]
        stored = cache.get(value_key)
    else:
        found = cache.get_many([generation_key, value_key])
        generation = _generation(generation_key, found.get(generation_key))
        stored = found.get(value_key)
    if stored is not None and stored[0] == generation and (holds is None or holds(stored[1])):
        value = stored[1]
    else:
        value = compute()
        cache.set(value_key, (generation, value), timeout=KEEP_SECONDS)
    if local:
        _local[value_key] = (generation, value)
    return value
