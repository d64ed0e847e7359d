"""ORM queries compiled once per process and run again with new parameters.

Django compiles a queryset to SQL every time it is evaluated. For the few queries that
every signed-in request runs (the session, the user's roles) the compilation costs
several times what the database does: on the benchmark machine compiling the roles query
took ≈ 2 ms, running it ≈ 0.1 ms. :class:`PreparedQuery` builds the queryset once per
database alias with placeholder values, records which SQL parameter stands for which
placeholder, and from then on sends the same SQL through a cursor with the new values.

The queryset stays the single description of the query (table and column names,
conditions such as ``Substitution.objects.current()``); only its compilation is cached.
Use it for small, hot, read-only queries whose shape never depends on the values.

On PostgreSQL the statement is also prepared on the server (:func:`statement_cursor`), so
the server does not plan it again on every request either.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators  # type: ignore[attr-defined]

# How a runtime value becomes an SQL parameter: as it is, or as the backend adapts dates.
_AS_IS, _DATE, _DATETIME = "as-is", "date", "datetime"


def statement_cursor(using: str = "default") -> Any:
    """Return a cursor for a hot statement: prepared on the server where the backend can
    (``hromada.core.dbengines.postgresql``), Django's usual cursor elsewhere."""
    connection = connections[using]
    make = getattr(connection, "prepared_cursor", None)
    return make() if make is not None else connection.cursor()


_SEQUENCES: dict[tuple[str, str, str], str] = {}


def serial_sequence(using: str, table: str, column: str = "id") -> str:
    """Return the sequence of a table's serial column as an SQL literal (PostgreSQL), for
    ``nextval(...)`` in a hot statement. Read once per database: the lookup by table and
    column (``pg_get_serial_sequence``) scans the catalogue every time it runs."""
    key = (using, table, column)
    name = _SEQUENCES.get(key)
    if name is None:
        with connections[using].cursor() as cursor:
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
            row = cursor.fetchone()
        if row is None or not row[0]:
            raise ImproperlyConfigured(f"{table}.{column} has no sequence.")
        name = "'" + str(row[0]).replace("'", "''") + "'::regclass"
        _SEQUENCES[key] = name
    return name


class PreparedQuery:
    """A queryset compiled once per database alias; :meth:`rows` runs it with new values.

    ``build(**values)`` returns the queryset for the given values; it is called once per
    alias with ``placeholders`` (distinctive values that cannot occur among the other
    parameters: e.g. a negative id, a date in 1901).
    """

    def __init__(self, build: Callable[..., QuerySet[Any]], **placeholders: Any) -> None:
        self._build = build
        self._placeholders = placeholders
        self._compiled: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {}
        # Per alias, for a query of model instances: the model, its loaded field names
        # and the database converters of each column (what ModelIterable applies).
        self._model_info: dict[str, tuple[type[Model], list[str], list[tuple[Any, Any]]]] = {}
        # Per alias, for a query with select_related: its compiler (converters) and what
        # Django's ModelIterable builds the instances from.
        self._related_info: dict[
            str, tuple[Any, Any, type[Model], slice, list[str], list[Any]]
        ] = {}

    def sql(self, using: str = "default") -> tuple[str, tuple[tuple[str, str], ...]]:
        """Return the SQL and, per parameter, (placeholder name, how to adapt its value)."""
        compiled = self._compiled.get(using)
        if compiled is None:
            compiled = self._compile(using)
            self._compiled[using] = compiled
        return compiled

    def _compile(self, using: str) -> tuple[str, tuple[tuple[str, str], ...]]:
        ops = connections[using].ops
        queryset = self._build(**self._placeholders)
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        klass_info = compiler.klass_info
        if klass_info is not None and not klass_info.get("related_klass_infos"):
            columns = [s[0] for s in compiler.select]
            converters = column_converters(columns, using)
            self._model_info[using] = (
                klass_info["model"],
                [c.target.attname for c in columns],
                converters,
            )
        elif klass_info is not None:
            # As ModelIterable does: the model's columns, then each related model's,
            # populated by Django's own RelatedPopulator.
            select = compiler.select
            fields = klass_info["select_fields"]
            own = slice(fields[0], fields[-1] + 1)
            self._related_info[using] = (
                compiler,
                compiler.get_converters([s[0] for s in select]),
                klass_info["model"],
                own,
                [f[0].target.attname for f in select[own]],
                get_related_populators(klass_info, select, using),
            )
        slots: list[tuple[str, str]] = []
        for param in params:
            for name, value in self._placeholders.items():
                kind = _match(param, value, ops)
                if kind is not None:
                    slots.append((name, kind))
                    break
            else:
                raise ImproperlyConfigured(
                    f"PreparedQuery: the SQL parameter {param!r} is none of the placeholders"
                )
        return sql, tuple(slots)

    def params(self, using: str = "default", **values: Any) -> list[Any]:
        """Return the SQL parameters for these values, in the order of :meth:`sql`'s SQL
        (for a caller that embeds that SQL in a statement of its own)."""
        _sql, slots = self.sql(using)
        ops = connections[using].ops
        return [_adapt(values[name], kind, ops) for name, kind in slots]

    def rows(self, using: str = "default", **values: Any) -> Sequence[tuple[Any, ...]]:
        """Run the query with these values; return the raw rows (backend types)."""
        sql, _slots = self.sql(using)
        params = self.params(using, **values)
        with statement_cursor(using) as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()  # type: ignore[no-any-return]

    def instances(self, using: str = "default", **values: Any) -> list[Any]:
        """Run a query of model instances and return the instances (with the related
        objects of its ``select_related``, as the queryset would give them)."""
        rows = self.rows(using, **values)
        related = self._related_info.get(using)
        if related is None:
            model, names, converters = self._model_info[using]
            return [load_instance(model, using, names, converters, row) for row in rows]
        compiler, converters, model, own, names, populators = related
        if converters:
            rows = list(compiler.apply_converters(rows, converters))
        found = []
        for row in rows:
            obj = model.from_db(using, names, row[own])
            for populator in populators:
                populator.populate(row, obj)
            found.append(obj)
        return found


def column_converters(columns: Sequence[Any], using: str) -> list[tuple[Any, list[Any]]]:
    """Per loaded column (a ``Col``), what the ORM's compiler applies to its value: the
    backend's converters, then the field's."""
    connection = connections[using]
    ops = connection.ops
    return [(c, [*ops.get_db_converters(c), *c.get_db_converters(connection)]) for c in columns]


def load_instance(
    model: type[Model],
    using: str,
    names: list[str],
    converters: list[tuple[Any, list[Any]]],
    values: Sequence[Any],
) -> Any:
    """Build a model instance from a raw row of the columns ``names``, as a queryset would."""
    connection = connections[using]
    row = list(values)
    for i, (column, convs) in enumerate(converters):
        for convert in convs:
            row[i] = convert(row[i], column, connection)
    return model.from_db(using, names, row)


def _match(param: Any, value: Any, ops: Any) -> str | None:
    if isinstance(value, datetime):
        return _DATETIME if param in (value, ops.adapt_datetimefield_value(value)) else None
    if isinstance(value, date):
        return _DATE if param in (value, ops.adapt_datefield_value(value)) else None
    return _AS_IS if type(param) is type(value) and param == value else None


def _adapt(value: Any, kind: str, ops: Any) -> Any:
    if kind == _DATETIME:
        return ops.adapt_datetimefield_value(value)
    if kind == _DATE:
        return ops.adapt_datefield_value(value)
    return value


class PreparedInsert:
    """INSERTs of one model's rows, each statement built once per alias and shape.

    What ``Model.save(force_insert=True)`` and ``bulk_create`` send, without the ORM
    compiling the statement each time (for the appeal's row, ≈ 70 columns, the compiler and
    psycopg's client-side parse of the statement cost more than the server's insert). On
    PostgreSQL the statement is prepared on the server (:func:`statement_cursor`). The
    values are what the ORM would send: each field's ``pre_save`` (``auto_now``,
    ``auto_now_add``) and ``get_db_prep_save``. A row whose primary key is set is inserted
    with it; otherwise the database's key comes back (``RETURNING``) and is set on the
    instance. Like ``bulk_create`` it sends no ``pre_save``/``post_save`` signals: use it
    for models no receiver acts on (hromada connects none; Wagtail's ``pre_save`` receiver
    for all models only sets the locale of its translatable ones).
    """

    def __init__(self, model: type[Model]) -> None:
        self._model = model
        # Per (alias, rows, with primary key, returned columns): the SQL and the fields in
        # column order.
        self._compiled: dict[tuple[str, int, bool, tuple[str, ...]], tuple[str, list[Any]]] = {}

    def _statement(
        self, using: str, rows: int, with_pk: bool, returning: tuple[str, ...] = ()
    ) -> tuple[str, list[Any]]:
        key = (using, rows, with_pk, returning)
        compiled = self._compiled.get(key)
        if compiled is not None:
            return compiled
        connection = connections[using]
        qn = connection.ops.quote_name
        meta = self._model._meta
        pk = meta.pk
        assert pk is not None
        fields = [f for f in meta.local_concrete_fields if with_pk or f is not pk]
        columns = ", ".join(qn(f.column) for f in fields)
        row = "(" + ", ".join(["%s"] * len(fields)) + ")"
        # Identifiers are the model's own, quoted; every value is a parameter.
        sql = f"INSERT INTO {qn(meta.db_table)} ({columns}) VALUES {', '.join([row] * rows)}"  # noqa: S608
        extra = [f.column for f in fields if f.name in returning or f.attname in returning]
        if len(extra) != len(returning):
            raise ImproperlyConfigured(f"PreparedInsert: cannot return {returning!r}.")
        returned = ([] if with_pk else [pk.column]) + extra
        if returned:
            sql += " RETURNING " + ", ".join(qn(c) for c in returned)
        compiled = (sql, fields)
        self._compiled[key] = compiled
        return compiled

    def columns(
        self, objs: Sequence[Model], using: str = "default", returning: Sequence[str] = ()
    ) -> list[Any]:
        """Return the fields of :meth:`statement`'s row, in its parameters' order."""
        return self._statement(using, len(objs), objs[0].pk is not None, tuple(returning))[1]

    def plain(self, objs: Sequence[Model], using: str = "default") -> bool:
        """Return whether one plain INSERT writes these instances: every primary key set,
        or every one to be returned by the database."""
        with_pk = objs[0].pk is not None
        return all((o.pk is not None) is with_pk for o in objs) and (
            with_pk or connections[using].features.can_return_rows_from_bulk_insert
        )

    def statement(
        self, objs: Sequence[Model], using: str = "default", returning: Sequence[str] = ()
    ) -> tuple[str, list[Any]]:
        """Return the INSERT of these instances and its parameters (for :meth:`plain` rows;
        a caller may embed it, e.g. in a ``WITH``, and then call :meth:`saved`). Rows
        without a primary key return it first; ``returning`` names more fields to return (in
        the model's column order)."""
        with_pk = objs[0].pk is not None
        connection = connections[using]
        sql, fields = self._statement(using, len(objs), with_pk, tuple(returning))
        for obj in objs:  # as save() does: a related object saved since gives its id
            prepare: Any = obj
            prepare._prepare_related_fields_for_save(operation_name="save")
        params = [
            field.get_db_prep_save(field.pre_save(obj, True), connection)
            for obj in objs
            for field in fields
        ]
        return sql, params

    @staticmethod
    def saved(objs: Sequence[Model], using: str = "default", keys: Any = None) -> None:
        """Mark the instances as saved (with the returned primary keys, if any)."""
        for i, obj in enumerate(objs):
            if keys is not None:
                obj.pk = keys[i][0]
            obj._state.adding = False
            obj._state.db = using

    def insert(self, objs: Sequence[Model], using: str = "default") -> None:
        """Insert the instances (new; all with their primary key set, or all without)."""
        if not objs:
            return
        if not self.plain(objs, using):
            self._model._base_manager.db_manager(using).bulk_create(objs)
            return
        sql, params = self.statement(objs, using)
        with statement_cursor(using) as cursor:
            cursor.execute(sql, params)
            keys = None if objs[0].pk is not None else cursor.fetchall()
        self.saved(objs, using, keys)


class WriteBatch:
    """Writes that wait for nothing from each other, sent as one statement on PostgreSQL.

    A registration ends with several INSERTs (its row, history, topics, the audit event)
    and the audit head's move; none needs a value the database returns from another. On
    PostgreSQL :meth:`run` sends them as one data-modifying ``WITH`` (prepared on the
    server: one round trip, one statement's overhead), which is what a registration holding
    its journal's counter waits on. Every part runs exactly once, whether or not anything
    reads its rows; all see one snapshot, so a part that depends on another's rows reads
    them from that part's ``RETURNING`` (:meth:`insert` gives the part's name for that).
    Foreign keys between the rows are checked at commit (Django creates them ``DEFERRABLE
    INITIALLY DEFERRED``), so the parts' order does not matter to them.

    Elsewhere (SQLite) each part runs when it is added, as it would on its own. A part's
    parameters are computed when it is added: add what is known early before taking a
    lock, and the statement built then waits for the rest. Use inside a transaction.
    """

    def __init__(self, using: str = "default") -> None:
        self.using = using
        self._combine = connections[using].vendor == "postgresql"
        self._sql: list[str] = []
        self._params: list[Any] = []
        self._inserts: dict[str, _Insert] = {}  # by part name, in the order added

    @property
    def combines(self) -> bool:
        """Whether the parts wait for :meth:`run` (PostgreSQL) or ran when added."""
        return self._combine

    def insert(
        self, prepared: PreparedInsert, objs: Sequence[Model], returning: Sequence[str] = ()
    ) -> str:
        """Add the INSERT of these new instances; return the part's name (for a later part
        to read its ``returning`` columns: ``FROM <name>``)."""
        name = f"w{len(self._sql)}"
        if not objs:
            return name
        if not self._combine or not prepared.plain(objs, self.using):
            if returning:
                raise ValueError("WriteBatch: returned columns need PostgreSQL and plain rows.")
            prepared.insert(objs, self.using)
            return name
        sql, params = prepared.statement(objs, self.using, returning)
        pk = objs[0]._meta.pk
        assert pk is not None
        self._inserts[name] = _Insert(
            prepared=prepared,
            objs=objs,
            columns=prepared.columns(objs, self.using, returning),
            start=len(self._params),
            returns_pk=objs[0].pk is None,
            pk_column=connections[self.using].ops.quote_name(pk.column),
        )
        self._sql.append(f"{name} AS ({sql})")
        self._params += params
        return name

    def refresh(self, name: str, fields: Sequence[str]) -> None:
        """Take these fields' values again from a part's instances (set since it was added:
        e.g. a registration's number, so that the rest of its row is built before the lock
        that the number is taken under). PostgreSQL only: elsewhere parts have run."""
        part = self._inserts.get(name)
        if part is None:
            raise ValueError(f"WriteBatch: no part {name!r} waiting to run.")
        indexes = [i for i, f in enumerate(part.columns) if f.name in fields or f.attname in fields]
        if len(indexes) != len(fields):
            raise ValueError(f"WriteBatch: part {name!r} has no column for all of {fields!r}.")
        connection = connections[self.using]
        for row, obj in enumerate(part.objs):
            for i in indexes:
                field = part.columns[i]
                value = field.get_db_prep_save(getattr(obj, field.attname), connection)
                self._params[part.start + row * len(part.columns) + i] = value

    def add(self, sql: str, params: Sequence[Any]) -> None:
        """Add a data-modifying statement (PostgreSQL; it may read earlier parts by name)."""
        if not self._combine:
            raise ValueError("WriteBatch.add() is for PostgreSQL; elsewhere run the statement.")
        self._sql.append(f"w{len(self._sql)} AS ({sql})")
        self._params += params

    def run(self) -> None:
        """Send the parts (PostgreSQL): one statement; set the returned primary keys."""
        if not self._sql:
            return
        keyed = [(name, part) for name, part in self._inserts.items() if part.returns_pk]
        selects = [
            f"SELECT {i}, {part.pk_column} FROM {name}"  # noqa: S608 (our own names and columns)
            for i, (name, part) in enumerate(keyed)
        ]
        sql = "WITH " + ", ".join(self._sql) + " " + (" UNION ALL ".join(selects) or "SELECT 0")
        with statement_cursor(self.using) as cursor:
            cursor.execute(sql, self._params)
            rows = cursor.fetchall() if selects else []
        keys: dict[int, list[Any]] = {}
        for i, key in rows:
            keys.setdefault(i, []).append(key)
        for i, (_name, part) in enumerate(keyed):
            found = keys.get(i, [])
            if len(found) != len(part.objs):
                raise RuntimeError("WriteBatch: the database returned fewer keys than rows.")
            for obj, key in zip(part.objs, found, strict=True):
                obj.pk = key
        for part in self._inserts.values():
            part.prepared.saved(part.objs, self.using)
        self._sql, self._params, self._inserts = [], [], {}


@dataclass(frozen=True)
class _Insert:
    """An INSERT waiting in a WriteBatch: its instances and where its parameters are."""

    prepared: PreparedInsert
    objs: Sequence[Model]
    columns: list[Any]  # the fields, in the statement's column order
    start: int  # the index of its first parameter in the batch's
    returns_pk: bool
    pk_column: str
