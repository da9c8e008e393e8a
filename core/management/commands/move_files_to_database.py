"""Copy uploaded files still on disk under MEDIA_ROOT into the database, where they now live.

The migrations that added `core.StoredFile` moved every file they found; run this for files
found later (an old volume mounted again) or with --delete to clear the moved files off disk.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from core.file_moves import attachment_models, files_move_to_database
from core.models import StoredFile


class Command(BaseCommand):
    help = "Copy attachment files from MEDIA_ROOT into the database (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--from",
            dest="source",
            type=Path,
            default=None,
            help="The folder that holds the files (default: MEDIA_ROOT).",
        )
        parser.add_argument(
            "--delete",
            action="store_true",
            help="Remove each file from disk once it is in the database.",
        )

    def handle(self, *args, source, delete, **options):
        root = source or Path(settings.MEDIA_ROOT)
        if not root.is_dir():
            self.stderr.write(f"{root} is not a folder: nothing to move.")
            return
        total = {"moved": 0, "already": 0, "missing": 0, "deleted": 0}
        for model in attachment_models():
            # NOTE: no transaction around this: each copy commits before --delete removes
            # the file, so an interrupted run loses nothing and can simply be run again.
            counts = files_move_to_database(
                attachments=model.objects.all(),
                stored_files=StoredFile,
                media_root=root,
                delete=delete,
                warn=lambda message: self.stderr.write(message),
            )
            for key in total:
                total[key] += getattr(counts, key)
        self.stdout.write(
            f"Moved {total['moved']} files from {root} into the database "
            f"(already there: {total['already']}; missing from disk: {total['missing']})."
        )
        if delete:
            self.stdout.write(f"Deleted {total['deleted']} moved files from {root}.")
