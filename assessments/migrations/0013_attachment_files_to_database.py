"""Copy every Attachment file from MEDIA_ROOT into core.StoredFile, where files now live.

Missing files are reported and skipped (their rows stay); running again copies nothing twice.
Files are left on disk: `manage.py move_files_to_database --delete` removes them once checked.
"""

from pathlib import Path

from django.conf import settings
from django.db import migrations

from core.file_moves import files_move_to_database


def files_to_database(apps, schema_editor):
    files_move_to_database(
        attachments=apps.get_model("assessments", "Attachment").objects.all(),
        stored_files=apps.get_model("core", "StoredFile"),
        media_root=Path(settings.MEDIA_ROOT),
    )


class Migration(migrations.Migration):

    dependencies = [
        ("assessments", "0012_merge_20261203_1014"),
        ("core", "0001_stored_file"),
    ]

    operations = [
        migrations.RunPython(files_to_database, migrations.RunPython.noop),
    ]
