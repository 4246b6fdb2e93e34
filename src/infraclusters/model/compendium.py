"""The loaded compendium: one validated data package, its tables and the views joined from them.

A :class:`Compendium` is built once per process for a data directory (see
:func:`Compendium.open`): the package is validated when it is opened, each
table is read once, and the joins every chapter needs (facilities with their
type and category, the type × stage links, the graphs) are computed once and
cached, as QuantEcon's ``MarkovChain`` caches what it derives. Model functions
take the compendium as their first argument; nothing here knows about
languages, charts, Markdown or Sphinx.

Frames handed out are shallow copies (pandas copy-on-write), so a caller that
adds a column never changes the cached one.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from . import package


class UnknownClusterError(KeyError):
    """A cluster id that clusters.csv does not have; the message lists the known ones."""

    def __str__(self) -> str:
        return self.args[0]


class Compendium:
    """The data package of ``data_dir``, validated, with its tables and joined views cached.

    ``root`` is the book whose ``references.bib`` a source may cite (and whose
    ``data/`` folder messages call ``data/…``).
    """

    _opened: dict[tuple, Compendium] = {}

    def __init__(self, data_dir: str | Path, root: str | Path, stamp: Path | None = None):
        self.data_dir = Path(data_dir).resolve()
        self.root = Path(root).resolve()
        self.summary = package.validate(self.data_dir, self.root, stamp)
        #: Where the tables are read: ``data_dir`` itself, or for a reader's directory laid over the
        #: book's tables, the two joined (see :mod:`.layers`).
        self.tables_dir = self.summary.tables_dir or self.data_dir
        self._tables: dict[str, pd.DataFrame] = {}
        self._clusters: dict[str, Cluster] = {}
        #: The tables read so far (a chapter's inputs, for rebuilds that redo only what changed).
        self.reads: set[str] = set()
        self._reads_log: Path | None = None
        self._trackers: list[set[str]] = []
        #: The tables each cached view was computed from, so a view read from the cache still counts them.
        self._view_reads: dict[str, set[str]] = {}

    @classmethod
    def open(cls, data_dir: str | Path, root: str | Path, stamp: Path | None = None) -> Compendium:
        """The compendium of ``data_dir``: validated once per process, opened anew when a file changes.

        ``stamp`` remembers a successful validation across processes (see :func:`.package.validate`).
        """
        data_dir, root = Path(data_dir).resolve(), Path(root).resolve()
        if not (data_dir / package.DESCRIPTOR).is_file():
            package.descriptor(data_dir)  # raises the clear "no descriptor here" error
        key = (data_dir, root, package.signature(data_dir, root))
        if key not in cls._opened:
            cls._opened = {k: v for k, v in cls._opened.items() if k[:2] != key[:2]}
            cls._opened[key] = cls(data_dir, root, stamp)
        return cls._opened[key]

    def __repr__(self) -> str:
        return f"Compendium({str(self.data_dir)!r})"

    # --- tables -------------------------------------------------------------

    def table(self, name: str) -> pd.DataFrame:
        """One table by name, typed by its schema (KeyError names the known tables)."""
        if name not in self._tables:
            self._tables[name] = package.read_table(name, self.tables_dir, self.root)
        for tracker in self._trackers:
            tracker.add(name)
        if name not in self.reads:
            self.reads.add(name)
            self._write_reads()
        return self._tables[name].copy(deep=False)

    @contextmanager
    def reading(self):
        """Within: the set of the tables read, as if nothing had been computed before (what a result depends on).

        Derived results (graphs, metrics, clusters) are forgotten for the
        duration, so a table read once, earlier, to compute them counts again;
        afterwards the compendium is as it was. The tables stay loaded.
        """
        derived = [name for name, value in vars(type(self)).items() if isinstance(value, cached_property)]
        saved = {name: self.__dict__.pop(name) for name in derived if name in self.__dict__}
        clusters, self._clusters = self._clusters, {}
        read: set[str] = set()
        self._trackers.append(read)
        try:
            yield read
        finally:
            self._trackers.remove(read)
            for name in derived:
                self.__dict__.pop(name, None)
            self.__dict__.update(saved)
            self._clusters = clusters

    def record_reads(self, path: Path) -> None:
        """From now on, keep the names of the tables read in ``path`` (a JSON list), for the book build."""
        self._reads_log = Path(path)
        self._write_reads()

    def _write_reads(self) -> None:
        if self._reads_log is not None:
            import json

            self._reads_log.parent.mkdir(parents=True, exist_ok=True)
            self._reads_log.write_text(json.dumps(sorted(self.reads)), encoding="utf-8")

    @cached_property
    def descriptor(self) -> dict:
        """The package's descriptor: its tables and their schemas (the book's, for a layered directory)."""
        return package.descriptor(self.tables_dir)

    @cached_property
    def dataset(self) -> dict:
        """The descriptor of ``data_dir`` itself: the title, contributors, date and licence a reader gives."""
        return package.descriptor(self.data_dir)

    @cached_property
    def own_cluster_ids(self) -> list[str]:
        """The clusters whose rows a reader wrote (a layered directory); none in the book's own data."""
        if not self.is_layered:
            return []
        from . import layers

        book = pd.read_csv(layers.book_data(self.root) / "clusters.csv", dtype=str, keep_default_na=False)
        return [cluster for cluster in self.cluster_ids if cluster not in set(book["cluster_id"])]

    @property
    def is_layered(self) -> bool:
        """Is this a reader's directory laid over the book's tables?"""
        return self.tables_dir != self.data_dir

    @property
    def table_names(self) -> list[str]:
        return [resource["name"] for resource in self.descriptor["resources"]]

    def dictionary(self, name: str) -> pd.DataFrame:
        """The data dictionary of one table (one row per column), read from its schema."""
        return package.dictionary(name, self.tables_dir)

    # --- views joined once --------------------------------------------------

    @property
    def stages(self) -> pd.DataFrame:
        """The chain stages in chain order."""
        return self._view("stages", lambda: self.table("chain_stages").sort_values("stage_order", ignore_index=True))

    @property
    def categories(self) -> pd.DataFrame:
        """The three infrastructure categories in the paper's order."""
        return self._view(
            "categories", lambda: self.table("facility_categories").sort_values("category_order", ignore_index=True)
        )

    @property
    def clusters(self) -> pd.DataFrame:
        """The clusters in data order (the paper's order for its three cases)."""
        return self.table("clusters")

    @property
    def claims(self) -> pd.DataFrame:
        return self.table("claims")

    @property
    def type_links(self) -> pd.DataFrame:
        """One row per (facility type, chain stage) link, with type, category and stage names (see :mod:`.chain`)."""
        from . import chain

        return self._view("type_links", lambda: chain.type_stage_links(self))

    @property
    def facilities(self) -> pd.DataFrame:
        """Every facility with its type's names and category (``type_zh``, ``type_en``, ``category_id``).

        ``type_is_own`` is True for a type a reader added (a layered directory): the paper's §1.3 types are
        the paper's, and a page says when a type is not one of them.
        """

        def join():
            types = self.table("facility_types")[["type_id", "category_id", "name_zh", "name_en"]].rename(
                columns={"name_zh": "type_zh", "name_en": "type_en"}
            )
            joined = self.table("facilities").merge(types, on="type_id", how="left")
            return joined.assign(type_is_own=joined["type_id"].isin(self.own_type_ids))

        return self._view("facilities", join)

    @cached_property
    def own_type_ids(self) -> set[str]:
        """Facility types a reader added over the book's (none in the book's own data)."""
        if not self.is_layered:
            return set()
        from . import layers

        book = pd.read_csv(layers.book_data(self.root) / "facility_types.csv", dtype=str, keep_default_na=False)
        return set(self.table("facility_types")["type_id"]) - set(book["type_id"])

    @property
    def roles(self) -> pd.DataFrame:
        """Every documented role on the chain, with entity and stage names (see :mod:`.roles`)."""
        from . import roles

        return self._view("roles", lambda: roles.entity_roles(self))

    @cached_property
    def typology_graph(self):
        from . import graphs

        return graphs.typology_graph(self)

    @cached_property
    def mechanism_graph(self):
        from . import graphs

        return graphs.mechanism_graph(self)

    def _view(self, name: str, compute) -> pd.DataFrame:
        key = "view:" + name
        if key not in self._tables:
            read: set[str] = set()
            self._trackers.append(read)
            try:
                self._tables[key] = compute()
            finally:
                self._trackers.remove(read)
            self._view_reads[key] = read
        for tracker in self._trackers:  # a cached view still depends on its tables
            tracker.update(self._view_reads[key])
        return self._tables[key].copy(deep=False)

    # --- one cluster ----------------------------------------------------------

    def cluster(self, cluster_id: str) -> Cluster:
        """One cluster's view, or UnknownClusterError naming every known cluster."""
        if cluster_id not in self._clusters:
            ids = list(self.clusters["cluster_id"])
            if cluster_id not in ids:
                raise UnknownClusterError(f"unknown cluster {cluster_id!r}; known clusters: {', '.join(ids)}")
            self._clusters[cluster_id] = Cluster(self, cluster_id)
        return self._clusters[cluster_id]

    @property
    def cluster_ids(self) -> list[str]:
        return list(self.clusters["cluster_id"])


@dataclass(eq=False)
class Cluster:
    """One cluster of a compendium: its row, facilities, organisations, relations, graph, metrics, timeline."""

    compendium: Compendium
    id: str

    def __repr__(self) -> str:
        return f"Cluster({self.id!r})"

    @cached_property
    def row(self) -> pd.Series:
        return self.compendium.clusters.set_index("cluster_id").loc[self.id]

    @property
    def position(self) -> int:
        """1-based place of the cluster in data order."""
        return self.compendium.cluster_ids.index(self.id) + 1

    @property
    def slug(self) -> str:
        """The cluster as it appears in figure ids and file names (hyphens, not underscores)."""
        return slug(self.id)

    @cached_property
    def _linked(self) -> set[str]:
        """Ids of other clusters' facilities and organisations that a relation ties to one of this cluster's.

        An institution that serves two science cities keeps one id (in its home
        cluster's row); a relation to it makes it a member here too, shown as shared.
        """
        relations = self.compendium.table("relations")
        touching = relations[relations["from_id"].isin(self._own) | relations["to_id"].isin(self._own)]
        return (set(touching["from_id"]) | set(touching["to_id"])) - self._own

    @cached_property
    def _own(self) -> set[str]:
        """Ids of the facilities and organisations whose row names this cluster."""
        facilities, organisations = self.compendium.facilities, self.compendium.table("organisations")
        return set(facilities.loc[facilities["cluster_id"] == self.id, "facility_id"]) | set(
            organisations.loc[organisations["cluster_id"] == self.id, "org_id"]
        )

    @cached_property
    def _facilities(self) -> pd.DataFrame:
        table = self.compendium.facilities
        mine = table["cluster_id"] == self.id
        shared = ~mine & table["facility_id"].isin(self._linked)
        return pd.concat(
            [table[mine].assign(shared_from=pd.NA), table[shared].assign(shared_from=lambda f: f["cluster_id"])]
        ).reset_index(drop=True)

    @property
    def facilities(self) -> pd.DataFrame:
        """The cluster's facilities with their type and category names (``shared_from``: see :attr:`organisations`)."""
        return self._facilities.copy(deep=False)

    @cached_property
    def _organisations(self) -> pd.DataFrame:
        table = self.compendium.table("organisations")
        mine = table["cluster_id"] == self.id
        shared = ~mine & table["org_id"].isin(self._linked)
        return pd.concat(
            [table[mine].assign(shared_from=pd.NA), table[shared].assign(shared_from=lambda f: f["cluster_id"])]
        ).reset_index(drop=True)

    @property
    def organisations(self) -> pd.DataFrame:
        """The cluster's organisations; ``shared_from`` names the home cluster of one shared with another."""
        return self._organisations.copy(deep=False)

    @cached_property
    def _relations(self) -> pd.DataFrame:
        table = self.compendium.table("relations")
        return table[table["from_id"].isin(self._own) | table["to_id"].isin(self._own)].reset_index(drop=True)

    @property
    def relations(self) -> pd.DataFrame:
        """Relations with at least one end among the cluster's own facilities and organisations."""
        return self._relations.copy(deep=False)

    @property
    def claims(self) -> pd.DataFrame:
        """The paper's claims about the cluster: those of its section of §3 (none for a reader's own)."""
        section = self.row["paper_section"]
        table = self.compendium.claims
        return table[table["section"] == section].reset_index(drop=True) if isinstance(section, str) else table.iloc[:0]

    @cached_property
    def graph(self):
        """Facilities and organisations as nodes, documented relations as edges."""
        from . import graphs

        graph = graphs.inventory_graph(self._facilities, self._organisations, self._relations)
        names = self.compendium.clusters.set_index("cluster_id")
        for table, key in ((self._facilities, "facility_id"), (self._organisations, "org_id")):
            for row in table.dropna(subset=["shared_from"]).itertuples():
                home = names.loc[row.shared_from]
                graph.nodes[getattr(row, key)].update(home_zh=home["name_zh"], home_en=home["name_en"])
        return graph

    @property
    def roles(self) -> pd.DataFrame:
        """The cluster's documented roles on the chain: one row per (entity, stage), with the evidence."""
        table = self.compendium.roles
        return table[table["cluster_id"] == self.id].reset_index(drop=True)

    @property
    def is_readers(self) -> bool:
        """Is this a cluster a reader added (its rows, and its inferences, are theirs, not the book's)?"""
        return self.id in self.compendium.own_cluster_ids

    @property
    def authors(self) -> pd.DataFrame:
        """The paper's authors affiliated with a facility or organisation of this cluster (the case is self-reported)."""
        if "paper_authors" not in self.compendium.table_names:
            return pd.DataFrame(columns=["affiliation_id", "name_en", "affiliation_en", "entity_id", "source"])
        members = set(self._facilities["facility_id"]) | set(self._organisations["org_id"])
        table = self.compendium.table("paper_authors")
        return table[table["entity_id"].isin(members)].reset_index(drop=True)

    @property
    def fields(self) -> pd.DataFrame:
        """The fields the paper names for this cluster (§3.1's three, §3.3's four), with what pages show.

        A row belongs here when it names the cluster, or a facility of it (a data
        directory written before ``cluster_id`` existed names only the facility).
        """
        if "industrialisation_fields" not in self.compendium.table_names:
            return pd.DataFrame(
                columns=["field_id", "cluster_id", "facility_id", "name_zh", "name_en", "notes", "source"]
            )
        table = self.compendium.table("industrialisation_fields")
        mine = table["facility_id"].isin(set(self._facilities["facility_id"]))
        if "cluster_id" in table.columns:
            mine |= table["cluster_id"] == self.id
        return table[mine].reset_index(drop=True)

    @cached_property
    def metrics(self) -> dict:
        """Coverage, gaps and bridges from the documented roles, and the network's brokers (see :mod:`.clusters`)."""
        from . import clusters

        return clusters.network_metrics(self)

    @property
    def timeline(self) -> pd.DataFrame:
        """Dated facilities of the cluster, oldest first (undated ones are left to the text)."""
        return self._facilities.dropna(subset=["year"]).sort_values(["year", "facility_id"], ignore_index=True)


def slug(cluster_id: str) -> str:
    """A cluster id as it appears in figure ids and file names (hyphens, not underscores)."""
    return cluster_id.replace("_", "-")
