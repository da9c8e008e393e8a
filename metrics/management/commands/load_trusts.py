from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from metrics.services import trusts_load, trusts_parse


class Command(BaseCommand):
    help = (
        "Create or update trusts from a CSV file with columns "
        "ods_code,name,trust_type,region,foundation_trust and optionally system (the ICS or "
        "STP). A file with any bad row loads nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        rows, errors = trusts_parse(content=path.read_bytes())
        if errors:
            for error in errors:
                self.stderr.write(f"{path.name}: {error}")
            raise CommandError(
                f"Nothing loaded: {len(errors)} problem{'s' if len(errors) != 1 else ''} "
                f"in {path.name}."
            )
        result = trusts_load(rows=rows)
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {path.name}: {result.created} created, {result.updated} updated."
            )
        )
