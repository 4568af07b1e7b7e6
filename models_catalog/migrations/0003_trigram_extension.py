# pg_trgm powers typo-tolerant search on PostgreSQL; on SQLite this operation does nothing.
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("models_catalog", "0002_price_labels"),
    ]

    operations = [TrigramExtension()]
