"""Review before anything goes public (activities/review.py): an activity may be a
proposed change of another (``replaces``, kept a draft by a check constraint), a
photo may be a proposed change's copy of another (``origin``), requests for
review are kept, an activity may have a scheduled publication and withdrawal
(公開予約), and each member of staff may turn review mails off.

On SQLite the new column and constraint rebuild the activities table, which drops
the full-text index's triggers (migration 0011): they are made again at the end,
and the index rebuilt from the documents. The SQL is written out, not imported.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


SQLITE_INDEX = [
    "DROP TRIGGER IF EXISTS activities_activity_fts_insert",
    "DROP TRIGGER IF EXISTS activities_activity_fts_delete",
    "DROP TRIGGER IF EXISTS activities_activity_fts_update",
    "DROP TABLE IF EXISTS activities_activity_fts",
    """CREATE VIRTUAL TABLE activities_activity_fts USING fts5(
        search_document, content='activities_activity', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER activities_activity_fts_insert
        AFTER INSERT ON activities_activity BEGIN
        INSERT INTO activities_activity_fts(rowid, search_document)
        VALUES (new.id, new.search_document); END""",
    """CREATE TRIGGER activities_activity_fts_delete
        AFTER DELETE ON activities_activity BEGIN
        INSERT INTO activities_activity_fts(activities_activity_fts, rowid, search_document)
        VALUES ('delete', old.id, old.search_document); END""",
    """CREATE TRIGGER activities_activity_fts_update
        AFTER UPDATE OF search_document ON activities_activity BEGIN
        INSERT INTO activities_activity_fts(activities_activity_fts, rowid, search_document)
        VALUES ('delete', old.id, old.search_document);
        INSERT INTO activities_activity_fts(rowid, search_document)
        VALUES (new.id, new.search_document); END""",
    "INSERT INTO activities_activity_fts(activities_activity_fts) VALUES ('rebuild')",
]


def remake_sqlite_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_INDEX:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ('activities', '0011_search_index_in_migrations'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # Unapplied, the operations below rebuild the table again: this runs last then.
        migrations.RunPython(migrations.RunPython.noop, remake_sqlite_index),
        migrations.CreateModel(
            name='ReviewRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('requested_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='requested')),
                ('comment', models.TextField(blank=True, verbose_name='comment')),
                ('decision', models.CharField(blank=True, choices=[('', 'Waiting for review'), ('approved', 'Approved'), ('returned', 'Sent back')], default='', max_length=20, verbose_name='decision')),
                ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='decided')),
                ('reply', models.TextField(blank=True, verbose_name='reply')),
            ],
            options={
                'verbose_name': 'review request',
                'verbose_name_plural': 'review requests',
                'ordering': ['-requested_at', '-pk'],
                'default_permissions': (),
            },
        ),
        migrations.AddField(
            model_name='activity',
            name='replaces',
            field=models.OneToOneField(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='replacement', to='activities.activity', verbose_name='replaces'),
        ),
        migrations.AddField(
            model_name='activity',
            name='replaces_version',
            field=models.PositiveIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='photo',
            name='origin',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='activities.photo'),
        ),
        migrations.AddConstraint(
            model_name='activity',
            constraint=models.CheckConstraint(condition=models.Q(('replaces__isnull', True), ('status', 'draft'), _connector='OR'), name='activities_activity_replacement_is_draft'),
        ),
        migrations.AddField(
            model_name='reviewrequest',
            name='activity',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reviews', to='activities.activity', verbose_name='activity'),
        ),
        migrations.AddField(
            model_name='reviewrequest',
            name='decided_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decided by'),
        ),
        migrations.AddField(
            model_name='reviewrequest',
            name='requested_by',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='requested by'),
        ),
        migrations.AddConstraint(
            model_name='reviewrequest',
            constraint=models.UniqueConstraint(condition=models.Q(('decision', '')), fields=('activity',), name='activities_reviewrequest_one_open'),
        ),
        migrations.AddField(
            model_name='activity',
            name='publish_at',
            field=models.DateTimeField(blank=True, help_text='Leave the status “Draft”: it is published at this time.', null=True, verbose_name='scheduled publication'),
        ),
        migrations.AddField(
            model_name='activity',
            name='withdraw_at',
            field=models.DateTimeField(blank=True, help_text='Optional: it becomes a draft again at this time.', null=True, verbose_name='scheduled withdrawal'),
        ),
        migrations.AddConstraint(
            model_name='activity',
            constraint=models.CheckConstraint(condition=models.Q(('publish_at__isnull', True), ('withdraw_at__isnull', True), ('withdraw_at__gt', models.F('publish_at')), _connector='OR'), name='activities_activity_withdrawn_after_published', violation_error_message='The scheduled withdrawal must come after the scheduled publication.'),
        ),
        migrations.CreateModel(
            name='StaffPreference',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('review_mail', models.BooleanField(default=True, help_text='Publishers: when a review is requested. Everyone: when a request of yours is sent back.', verbose_name='e-mail me about reviews')),
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='staff_preference', to=settings.AUTH_USER_MODEL, verbose_name='user')),
            ],
            options={
                'verbose_name': 'staff preference',
                'verbose_name_plural': 'staff preferences',
                'default_permissions': (),
            },
        ),
        migrations.RunPython(remake_sqlite_index, migrations.RunPython.noop),
    ]
