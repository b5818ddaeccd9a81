"""``manage.py migrate_fresh``: an empty SQLite database gets the schema in seconds; any other database is migrated.

Replaying the ~150 migrations costs about a minute of CPU on an empty database, nearly all of it Django
re-rendering the model graph after each operation (every model points at the user model, so each operation
re-renders almost all of them). A newcomer's first ``make run`` should answer within seconds, so on an *empty*
SQLite database (the embedded default) this command does what the test runner does when it skips migrations:

1. creates every table, index and constraint straight from the models, in one transaction;
2. records every migration as applied (the models are the migrations' end state: ``makemigrations --check`` in CI
   keeps the two equal);
3. runs, in the migrations' order, every data step a new database needs: the project's ``RunPython`` and
   ``RunSQL`` operations that are not ``elidable`` (reference data, shipped rule rows, the audit log's append-only
   triggers), each given the models as the migrations leave them. Elidable steps only convert rows that an older
   version wrote, so an empty database has nothing for them; third-party apps' data steps are all of that kind;
4. sends ``post_migrate`` (content types, permissions) as ``migrate`` does.

A test (core/tests/test_migrate_fresh.py) builds a database this way and compares it, table by table, column by
column, index by index, trigger by trigger and row by row, with the test database that ``migrate`` built.

A database that already has tables, and PostgreSQL always, go through ``migrate`` itself: production upgrades are
the migrations, never this shortcut.
"""

from __future__ import annotations

import time
from typing import Any

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.core.management.sql import emit_post_migrate_signal, emit_pre_migrate_signal
from django.db import DEFAULT_DB_ALIAS, connections, router
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.migration import Migration
from django.db.migrations.operations.special import RunPython, RunSQL

PROJECT_PACKAGE = "fayuan."


def data_steps(plan: list[Migration]) -> list[tuple[Migration, RunPython | RunSQL]]:
    """The project's non-elidable data operations, in the order ``migrate`` would run them."""
    steps: list[tuple[Migration, RunPython | RunSQL]] = []
    for migration in plan:
        if not apps.get_app_config(migration.app_label).name.startswith(PROJECT_PACKAGE):
            continue
        steps += [(migration, op) for op in migration.operations
                  if isinstance(op, RunPython | RunSQL) and not op.elidable]
    return steps


class Command(BaseCommand):
    help = "空的 SQLite 数据库：由模型直接建表并运行迁移中的数据步骤（数秒完成）；其他数据库：执行 migrate。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive")

    def handle(self, *args: Any, **options: Any) -> None:
        alias, verbosity = options["database"], options["verbosity"]
        connection = connections[alias]
        if connection.vendor != "sqlite" or connection.introspection.table_names():
            call_command("migrate", database=alias, interactive=False, verbosity=verbosity, stdout=self.stdout._out)
            return
        started = time.monotonic()
        executor = MigrationExecutor(connection)
        plan = [m for m, _backwards in
                executor.migration_plan(executor.loader.graph.leaf_nodes(), clean_start=True)]
        emit_pre_migrate_signal(verbosity, False, alias, apps=apps, plan=[(m, False) for m in plan])
        state = executor.loader.project_state()  # the models as the last migrations leave them
        steps = data_steps(plan)
        # One schema editor: one transaction (an interruption leaves the file empty, and the next run starts
        # again), foreign keys checked when it closes.
        with connection.schema_editor() as editor:
            for model in apps.get_models():
                if router.allow_migrate_model(alias, model) and model._meta.can_migrate(connection):
                    editor.create_model(model)
            executor.recorder.ensure_schema()
            for migration in plan:
                executor.recorder.record_applied(migration.app_label, migration.name)
            for migration, op in steps:  # as the migration would run it, with the end state's models
                op.database_forwards(migration.app_label, editor, state, state)
        emit_post_migrate_signal(verbosity, False, alias, apps=state.apps, plan=[(m, False) for m in plan])
        if verbosity:
            self.stdout.write(f"空数据库：已由模型 {len(apps.get_models())} 个直接建表，登记迁移 {len(plan)} 个，"
                              f"运行数据步骤 {len(steps)} 个，用时 {time.monotonic() - started:.1f} 秒。")
