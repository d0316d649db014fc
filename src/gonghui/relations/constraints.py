"""An exclusion constraint that PostgreSQL enforces and other databases leave to the service.

"A contract is not in force twice for the same enterprise and kind over overlapping dates" is
a range rule: PostgreSQL holds it with ``EXCLUDE USING gist`` (btree_gist for the equality
parts). SQLite, the demo's database, has no such constraint; there the service checks the
same rule under a lock (SQLite serializes writers with ``BEGIN IMMEDIATE``). See decision
0020.
"""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.constraints import ExclusionConstraint
from django.db import DEFAULT_DB_ALIAS, connections


class PostgresExclusionConstraint(ExclusionConstraint):
    """``ExclusionConstraint`` on PostgreSQL; no DDL and no model validation elsewhere."""

    @staticmethod
    def _postgres(schema_editor: Any) -> bool:
        return schema_editor.connection.vendor == "postgresql"

    def constraint_sql(self, model: Any, schema_editor: Any) -> Any:
        return (
            super().constraint_sql(model, schema_editor) if self._postgres(schema_editor) else None
        )

    def create_sql(self, model: Any, schema_editor: Any) -> Any:
        return super().create_sql(model, schema_editor) if self._postgres(schema_editor) else None

    def remove_sql(self, model: Any, schema_editor: Any) -> Any:
        return super().remove_sql(model, schema_editor) if self._postgres(schema_editor) else None

    def validate(
        self, model: Any, instance: Any, exclude: Any = None, using: str = DEFAULT_DB_ALIAS
    ) -> None:
        if connections[using].vendor == "postgresql":
            super().validate(model, instance, exclude=exclude, using=using)
