"""The index of the published directory kept by each process, and refreshed when it changes.

A search first reads the publication stamp: one tiny statement on primary keys (the latest
publication's id and time, and the highest site id). A publication always adds a row to
`publications`, and the time tells a new row from an id SQLite may reuse after a rollback; the
highest site id also catches sites written without a publication (benchmarks). When the stamp
differs from the index's, one thread rebuilds the index from the database while the others
keep searching the database; the index then serves every search until the next publication.

Reading the stamp is most of a search's cost on PostgreSQL (a round trip, and a connection taken
from the pool). An engine may therefore be given a `max_age` (`set_max_age`): the stamp is then
read at most once in that many seconds, so a publication made by another process is seen up to
that late. A commit in this process that changes the directory (a publication, sites, networks:
`_note_directory_writes`) is seen at once, whatever the engine.

The index keeps every site's record too, as plain values pickled (a few hundred bytes a site),
read with the positions in the same statement: a search reads nothing more from the database,
and turns into records only its hits, keeping up to `MAX_CACHED_RECORDS` of them. The values
are the record's own, lists split and all (`storage.sites.record_values`): on a directory much
larger than the cache, where most hits are not in it, a record is made in half the time it
takes from the row's columns.
"""

from __future__ import annotations

import pickle
import sys
import threading
import time
import weakref
from collections import Counter, defaultdict, namedtuple
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Connection, Engine, event, func, select
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from geodata.contract.records import SiteRecord
from geodata.orientation.index import INDEX_FIELDS, SiteIndex, TooManyCodes, build_index
from geodata.storage.models import Network, Publication, Site
from geodata.storage.sites import record_from, record_values

# Past this many sites the directory is left to the database search (some 400 bytes a site).
MAX_INDEXED_SITES = 300_000
# Records kept ready per index (about 1.5 kB each); past it, hits are made each time (4 us).
MAX_CACHED_RECORDS = 5_000

Stamp = tuple[Any, ...]


def _latest(column: Any, label: str) -> Any:
    """Return the latest publication's `column`, as a column of a statement."""
    return select(column).order_by(Publication.id.desc()).limit(1).scalar_subquery().label(label)


_STAMP_COLUMNS = (
    _latest(Publication.id, "stamp_publication"),
    _latest(Publication.created_at, "stamp_at"),
    select(func.max(Site.id)).scalar_subquery().label("stamp_site"),
)
_STAMP = select(*_STAMP_COLUMNS)
_NETWORKS = select(Network.id, Network.slug, Network.name)
# The index's columns first, then every other column a record needs (not the costly geometry).
_COLUMNS = [Site.__table__.c[name] for name in INDEX_FIELDS] + [
    column for column in Site.__table__.c if column.name not in (*INDEX_FIELDS, "geom")
]
_SITES = select(*_COLUMNS)
# A site's row as a tuple whose attributes `record_values` reads several times faster.
_Row = namedtuple("_Row", [column.name for column in _COLUMNS])  # type: ignore[misc]


@dataclass(frozen=True)
class PublishedIndex:
    """The directory as it was at `stamp`: its index, its sites' rows, records made from them."""

    stamp: Stamp
    index: SiteIndex
    stored: Mapping[int, bytes]  # site id -> its record's values (`record_values`), pickled
    network_names: Mapping[int, str]  # network id -> name
    # department -> network id -> how many sites (active or not) the network has there
    sites_by_department: Mapping[str, Mapping[int, int]]
    names_by_slug: Mapping[str, str]  # network slug -> name
    # Filled by `record`, shared by threads (a dict's get and set are atomic).
    cache: dict[int, SiteRecord] = field(default_factory=dict, compare=False, repr=False)

    @property
    def nbytes(self) -> int:
        """Return about how many bytes the index and the stored rows take."""
        stored = sys.getsizeof(self.stored) + sum(map(sys.getsizeof, self.stored.values()))
        return self.index.nbytes + stored

    def busiest_network(self, departments: Iterable[str]) -> str | None:
        """Return the name of the network with the most sites in `departments` (ties: the
        first name), or None if no network has a site there."""
        counts: Counter[int] = Counter()
        for department in departments:
            counts.update(self.sites_by_department.get(department, {}))
        ranked = sorted((-count, self.network_names[number]) for number, count in counts.items())
        return ranked[0][1] if ranked else None

    def record(self, site_id: int) -> SiteRecord:
        """Return the record of the site `site_id`, which must be in the index."""
        found = self.cache.get(site_id)
        if found is None:
            found = record_from(pickle.loads(self.stored[site_id]))
            if len(self.cache) < MAX_CACHED_RECORDS:
                self.cache[site_id] = found
        return found


class IndexHolder:
    """What one process keeps for one database: the latest index and the lock of its builder."""

    def __init__(self) -> None:
        self.building = threading.Lock()
        self.stamp: Stamp | None = None
        self.published: PublishedIndex | None = None  # None at `stamp`: the database searches
        self.max_age = 0.0  # seconds the stamp read last is trusted (see `set_max_age`)
        self.checked_at = 0.0  # `time.monotonic()` when it was read
        self.changes_seen = -1  # `_changes` then

    def fresh(self) -> bool:
        """Return whether the stamp read last may be trusted without reading it again."""
        return (
            self.stamp is not None
            and self.changes_seen == _changes
            and time.monotonic() - self.checked_at < self.max_age
        )


_holders: weakref.WeakKeyDictionary[Engine, IndexHolder] = weakref.WeakKeyDictionary()
_holders_lock = threading.Lock()


def holder_of(engine: Engine) -> IndexHolder:
    """Return what this process keeps for the database of `engine`."""
    with _holders_lock:
        holder = _holders.get(engine)
        if holder is None:
            holder = _holders[engine] = IndexHolder()
        return holder


def set_max_age(engine: Engine, seconds: float) -> None:
    """Let searches through `engine` trust the publication stamp for `seconds` after reading it.

    Another process's publication is then seen up to `seconds` late; 0 reads it every search.
    """
    holder_of(engine).max_age = seconds


def read_stamp(session: Session) -> Stamp:
    """Return what changes with every publication (see the module's documentation)."""
    return tuple(session.connection().execute(_STAMP).one())


def published_index(session: Session) -> PublishedIndex | None:
    """Return the index of the directory `session` sees, or None to search the database.

    None while another thread builds the index, or when the directory cannot be indexed.
    """
    holder = holder_of(session.get_bind().engine)
    if holder.fresh():
        return holder.published
    changes, checked_at = _changes, time.monotonic()
    stamp = read_stamp(session)
    if holder.stamp == stamp:
        holder.changes_seen, holder.checked_at = changes, checked_at
        return holder.published
    if not holder.building.acquire(blocking=False):
        return None
    try:
        if holder.stamp != stamp:
            holder.published = _build(session, stamp)
            holder.stamp = stamp
        holder.changes_seen, holder.checked_at = changes, checked_at
        return holder.published
    finally:
        holder.building.release()


def _build(session: Session, stamp: Stamp) -> PublishedIndex | None:
    """Return the index of the directory, read after `stamp` (None: too large to index)."""
    connection = session.connection()
    if (connection.scalar(select(func.count(Site.id))) or 0) > MAX_INDEXED_SITES:
        return None
    networks = connection.execute(_NETWORKS).all()
    rows, stored, by_department = _read_sites(connection)
    try:
        index = build_index(rows, {number: slug for number, slug, _name in networks})
    except TooManyCodes:
        return None
    names = {number: name for number, _slug, name in networks}
    by_slug = {slug: name for _number, slug, name in networks}
    return PublishedIndex(stamp, index, stored, names, dict(by_department), by_slug)


def _read_sites(
    connection: Connection,
) -> tuple[list[tuple[Any, ...]], dict[int, bytes], defaultdict[str, Counter[int]]]:
    """Return every site's index fields, its record's values pickled, and the sites by
    department and network; one row at a time, so that only the compact forms take memory."""
    rows, stored = [], {}
    by_department: defaultdict[str, Counter[int]] = defaultdict(Counter)
    for row in connection.execute(_SITES):
        rows.append(tuple(row[: len(INDEX_FIELDS)]))
        values = record_values(cast(Any, _Row._make(row)))
        stored[row.id] = pickle.dumps(values, pickle.HIGHEST_PROTOCOL)
        by_department[row.departement][row.network_id] += 1
    return rows, stored, by_department


# --- commits of this process that change the directory ---------------------------------------
_DIRECTORY_TABLES = frozenset({Publication.__table__, Site.__table__, Network.__table__})
_WROTE = "directory_written"
# Bumped by every such commit: an index checked before it reads the stamp again.
_changes = 0


def _writes_directory(state: ORMExecuteState) -> bool:
    if not (state.is_insert or state.is_update or state.is_delete):
        return False
    table = getattr(state.statement, "table", None)
    return table in _DIRECTORY_TABLES


@event.listens_for(Session, "do_orm_execute")
def _note_statement(state: ORMExecuteState) -> None:
    if _writes_directory(state):
        state.session.info[_WROTE] = True


@event.listens_for(Session, "after_flush")
def _note_directory_writes(session: Session, _flush: UOWTransaction) -> None:
    changed = (*session.new, *session.dirty, *session.deleted)
    if any(isinstance(instance, Publication | Site | Network) for instance in changed):
        session.info[_WROTE] = True


@event.listens_for(Session, "after_commit")
def _count_directory_commit(session: Session) -> None:
    global _changes
    if session.info.pop(_WROTE, False):
        _changes += 1


@event.listens_for(Session, "after_rollback")
def _forget_directory_writes(session: Session) -> None:
    session.info.pop(_WROTE, None)
