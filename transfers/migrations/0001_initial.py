# The ImportBatch model moved here from the project package (khuyenhoc): the table keeps its
# name and its rows, only Django's record of which app owns it changes.

import django.db.models.deletion
import lib.storage
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('khuyenhoc', '0002_import_batches'),
        ('jobs', '0001_initial'),
        ('units', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='ImportBatch',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(max_length=30, verbose_name='kind')),
                        ('file', models.FileField(storage=lib.storage.private_storage, upload_to='imports/%Y/%m/', verbose_name='file')),
                        ('original_name', models.CharField(max_length=255, verbose_name='file name')),
                        ('size', models.PositiveIntegerField(default=0, verbose_name='size')),
                        ('status', models.CharField(choices=[('checking', 'Being checked'), ('refused', 'Refused'), ('ready', 'Checked'), ('importing', 'Importing'), ('imported', 'Imported'), ('failed', 'Not imported')], default='checking', max_length=10, verbose_name='status')),
                        ('counts', models.JSONField(blank=True, default=dict, verbose_name='rows')),
                        ('problems', models.JSONField(blank=True, default=list, verbose_name='problems')),
                        ('problem_count', models.PositiveIntegerField(default=0, verbose_name='problems found')),
                        ('mode', models.CharField(blank=True, choices=[('all', 'All rows'), ('valid', 'Valid rows only')], max_length=5, verbose_name='rows imported')),
                        ('result', models.JSONField(blank=True, default=dict, verbose_name='result')),
                        ('message', models.TextField(blank=True, verbose_name='message')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='uploaded')),
                        ('checked_at', models.DateTimeField(blank=True, null=True, verbose_name='checked')),
                        ('imported_at', models.DateTimeField(blank=True, null=True, verbose_name='imported')),
                        ('job', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='jobs.job', verbose_name='background job')),
                        ('requested_by', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='import_batches', to=settings.AUTH_USER_MODEL, verbose_name='uploaded by')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='units.unit', verbose_name='commune')),
                    ],
                    options={
                        'verbose_name': 'spreadsheet import',
                        'verbose_name_plural': 'spreadsheet imports',
                        'ordering': ['-created_at', '-id'],
                        'db_table': 'khuyenhoc_importbatch',
                        'indexes': [models.Index(fields=['requested_by', '-created_at'], name='import_by_user')],
                    },
                ),
            ],
        ),
    ]
