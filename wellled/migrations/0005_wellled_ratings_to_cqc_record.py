"""Move CQC's well-led ratings into the trust's one record of CQC's ratings
(`metrics.CqcRating`), keeping every rating, its date, note, author and time."""

from django.db import migrations


def copy_to_cqc_record(apps, schema_editor):
    WellLedRating = apps.get_model("wellled", "WellLedRating")
    CqcRating = apps.get_model("metrics", "CqcRating")
    for old in WellLedRating.objects.order_by("id"):
        new = CqcRating.objects.create(
            trust_id=old.trust_id,
            question="well_led",
            rating=old.rating,
            rated_on=old.rated_on,
            source="well_led_page",
            note=old.note,
            recorded_by_id=old.recorded_by_id,
        )
        # NOTE: set after the insert: auto_now_add would stamp the migration's time.
        CqcRating.objects.filter(pk=new.pk).update(recorded_at=old.recorded_at)


def copy_back(apps, schema_editor):
    WellLedRating = apps.get_model("wellled", "WellLedRating")
    CqcRating = apps.get_model("metrics", "CqcRating")
    WellLedRating.objects.bulk_create(
        WellLedRating(
            trust_id=new.trust_id,
            rating=new.rating,
            rated_on=new.rated_on,
            note=new.note,
            recorded_by_id=new.recorded_by_id,
            recorded_at=new.recorded_at,
        )
        for new in CqcRating.objects.filter(question="well_led").order_by("id")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("metrics", "0009_cqc_ratings"),
        ("wellled", "0004_omitted_kloes_comparable_rating"),
    ]

    operations = [
        migrations.RunPython(copy_to_cqc_record, copy_back),
        migrations.DeleteModel(name="WellLedRating"),
    ]
