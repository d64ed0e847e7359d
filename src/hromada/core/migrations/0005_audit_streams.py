# Split the audit trail into several hash chains (streams) so that unrelated writes do not
# queue behind one lock. Existing events become stream 1 at their own number (their hashes
# are unchanged and still verify); the append-only guard is reinstalled in its stream form.

from django.conf import settings
from django.db import migrations, models

from hromada.core.audit import install_append_only_guard, remove_append_only_guard


def existing_events_to_stream_one(apps, schema_editor):
    connection = schema_editor.connection
    # The guard refuses every UPDATE of an event; lift it for this one-off numbering.
    remove_append_only_guard(connection)
    schema_editor.execute("UPDATE core_auditevent SET stream = 1, stream_seq = seq")
    if connection.vendor == "postgresql":
        # New events take their number from the id's sequence: start it past every number.
        schema_editor.execute(
            "SELECT setval(pg_get_serial_sequence('core_auditevent', 'id'),"
            " GREATEST(COALESCE(MAX(seq), 0), COALESCE(MAX(id), 0), 1), COUNT(*) > 0)"
            " FROM core_auditevent"
        )
    install_append_only_guard(connection)


def noop(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_audit_append_only"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="stream",
            field=models.PositiveSmallIntegerField(default=1, verbose_name="потік"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="stream_seq",
            field=models.PositiveBigIntegerField(default=0, verbose_name="номер у потоці"),
        ),
        migrations.RunPython(existing_events_to_stream_one, noop),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.UniqueConstraint(
                fields=("stream", "stream_seq"), name="core_audit_stream_seq"
            ),
        ),
    ]
