"""Prefix-search indexes that only PostgreSQL has (varchar_pattern_ops).

`name__startswith` becomes `LIKE 'smi%'`; a plain b-tree index serves LIKE only in the C
collation, so PostgreSQL gets pattern-ops indexes on the normalised name keys, scoped by
delivery partner as every staff search is. SQLite (the zero-setup default) skips them.
"""

from django.db import migrations

INDEXES = [
    (
        "person_partner_last_pattern",
        "clients_person (delivery_partner_id, last_name_key varchar_pattern_ops, first_name_key varchar_pattern_ops)",
    ),
    (
        "person_partner_first_pattern",
        "clients_person (delivery_partner_id, first_name_key varchar_pattern_ops)",
    ),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, target in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _target in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("clients", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
