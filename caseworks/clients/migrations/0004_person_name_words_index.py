"""Word-prefix search inside compound names: a GIN index on the words of the normalised first
and last names, over the rows where one of them has several words ("jean philippe",
"okafor test"). Names of one word keep the prefix indexes of migration 0002.

The expression and the WHERE clause must be exactly those `clients.selectors` filters on
(`NAME_WORDS_SQL`, `COMPOUND_NAME_SQL`), so that PostgreSQL uses the index. to_tsvector with an
explicit configuration is immutable; 'simple' only splits words and lower-cases (no stemming,
no stop words), and the keys are already accent-free (docs/adr/0010-name-search-by-word-prefix.md).
"""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS person_compound_name_words ON clients_person USING gin "
    "(to_tsvector('simple'::regconfig, first_name_key || ' ' || last_name_key)) "
    "WHERE (first_name_key LIKE '% %' OR last_name_key LIKE '% %')"
)
DROP = "DROP INDEX IF EXISTS person_compound_name_words"


class Migration(migrations.Migration):
    dependencies = [("clients", "0003_access_detail")]
    operations = [migrations.RunSQL(CREATE, DROP)]
