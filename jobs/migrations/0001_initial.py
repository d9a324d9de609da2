# The Job model moved here from the project package (khuyenhoc): the table keeps its
# name and its rows, only Django's record of which app owns it changes.

import django.db.models.deletion
import lib.storage
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('khuyenhoc', '0002_import_batches'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Job',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(max_length=50, verbose_name='kind')),
                        ('title', models.CharField(max_length=255, verbose_name='title')),
                        ('params', models.JSONField(blank=True, default=dict)),
                        ('status', models.CharField(choices=[('queued', 'Waiting'), ('running', 'Running'), ('done', 'Done'), ('failed', 'Failed')], default='queued', max_length=10, verbose_name='status')),
                        ('done', models.PositiveIntegerField(default=0, verbose_name='done')),
                        ('total', models.PositiveIntegerField(default=0, verbose_name='total')),
                        ('message', models.TextField(blank=True, verbose_name='message')),
                        ('result', models.FileField(blank=True, storage=lib.storage.private_storage, upload_to='jobs/', verbose_name='result')),
                        ('result_name', models.CharField(blank=True, max_length=255)),
                        ('summary', models.JSONField(blank=True, default=dict)),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                        ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='finished')),
                        ('requested_by', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='jobs', to=settings.AUTH_USER_MODEL, verbose_name='requested by')),
                    ],
                    options={
                        'verbose_name': 'background job',
                        'verbose_name_plural': 'background jobs',
                        'ordering': ['-created_at', '-id'],
                        'db_table': 'khuyenhoc_job',
                        'indexes': [models.Index(fields=['requested_by', '-created_at'], name='job_by_user')],
                    },
                ),
            ],
        ),
    ]
