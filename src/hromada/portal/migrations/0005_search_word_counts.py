"""Objects per (word, resource, district) for the portal search, counted from the objects.

See hromada/portal/search_counts.py: every later write keeps the counts.
"""

from collections import Counter

import django.db.models.deletion
from django.db import migrations, models


def count(apps, schema_editor):
    ResourceObject = apps.get_model("portal", "ResourceObject")
    ObjectWordCount = apps.get_model("portal", "ObjectWordCount")
    counts = Counter()
    rows = ResourceObject.objects.values_list("search_text", "resource_id", "district")
    for search_text, resource_id, district in rows.iterator(chunk_size=2000):
        counts[("", resource_id, district)] += 1
        for word in {w for w in search_text.split(" ") if w}:
            counts[(word, resource_id, district)] += 1
    ObjectWordCount.objects.bulk_create(
        (
            ObjectWordCount(word=word, resource_id=resource_id, district=district, n=n)
            for (word, resource_id, district), n in sorted(counts.items())
        ),
        batch_size=5000,
    )


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0004_search_fulltext'),
    ]

    operations = [
        migrations.CreateModel(
            name='ObjectWordCount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('word', models.CharField(max_length=300)),
                ('district', models.CharField(blank=True, max_length=3)),
                ('n', models.IntegerField(default=0)),
                ('resource', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='portal.resource')),
            ],
            options={
                'indexes': [models.Index(fields=['word'], name='portal_word_count_prefix', opclasses=['varchar_pattern_ops'])],
                'constraints': [models.UniqueConstraint(fields=('word', 'resource', 'district'), name='portal_object_word_count')],
            },
        ),
        migrations.RunPython(count, migrations.RunPython.noop),
    ]
