# Replaces the (kind, start_at, organiser) index of 0004: SQLite chose it for queries over many
# organisers (a kind IN (...) and a year range), reading millions of rows through it.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('activities', '0005_summary_split_rows'),
        ('org', '0002_residential_developments'),
        ('venues', '0001_initial'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='activity',
            name='activity_kind_start_live',
        ),
        migrations.AddIndex(
            model_name='activity',
            index=models.Index(condition=models.Q(('cancelled', False)), fields=['organiser', 'kind', 'start_at'], name='activity_bucket_live'),
        ),
        migrations.AddIndex(
            model_name='activity',
            index=models.Index(condition=models.Q(('cancelled', False), ('kind', 'patriotic_screening')), fields=['start_at'], name='activity_patriotic_live'),
        ),
    ]
