"""Peer cohorts: who is benchmarked with whom, and the recompute when that changes.

Each trust is in exactly one cohort (docs/peer_cohorts.md): the group an admin assigned
(`Trust.cohort`), else the default group of its type. A group with rules holds exactly the
trusts that match them, re-applied when the group is saved and when trusts are loaded; a
trust matching two rule groups goes to the one saved last. Changing who is in which cohort
changes every month's peer benchmarks, so it queues a `PeerRecompute` job.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.jobs import job_claim, job_kind_for
from core.tasks import queue_on_commit
from metrics.models import (
    MetricContextNote,
    MetricDefinition,
    MetricValue,
    PeerGroup,
    PeerRecompute,
    Trust,
    User,
)
from metrics.policies import may_edit_context_note

MONTHS_A_STEP = 12  # months recomputed per transaction; progress is saved after each
RECOMPUTE_TASK = "metrics.tasks.peer_recompute_task"
CONTEXT_TOO_LONG = "Context must be 2,000 characters or fewer; it has {count}."


def default_group_name(trust_type: str) -> str:
    return f"{Trust.TrustType(trust_type).label} trusts"


def peer_groups_ensure_defaults() -> None:
    """Create the default group of any trust type that has none (the migration made them)."""
    have = set(PeerGroup.objects.filter(is_type_default=True).values_list("trust_type", flat=True))
    for trust_type in Trust.TrustType.values:
        if trust_type not in have:
            PeerGroup.objects.create(
                code=trust_type,
                name=default_group_name(trust_type),
                trust_type=trust_type,
                is_type_default=True,
                description="Every trust of this type that is not assigned another cohort.",
            )


def trust_cohorts() -> dict[int, str]:
    """Every trust's cohort code, by trust id, in one query: the benchmarks' group key."""
    rows = Trust.objects.values_list("pk", "trust_type", "cohort__code")
    return {pk: code or trust_type for pk, trust_type, code in rows}


def trust_cohort(trust: Trust) -> PeerGroup:
    """The cohort `trust` is benchmarked within (an unsaved stand-in if defaults are gone)."""
    if trust.cohort_id is not None:
        return trust.cohort
    group = PeerGroup.objects.filter(is_type_default=True, trust_type=trust.trust_type).first()
    return group or PeerGroup(
        code=trust.trust_type, name=default_group_name(trust.trust_type), is_type_default=True
    )


def _rules_apply(group: PeerGroup, trusts: list[Trust]) -> list[Trust]:
    """Put the trusts matching `group`'s rules in it and take the others out; return the
    trusts whose cohort changed (unsaved)."""
    changed = []
    for trust in trusts:
        inside = group.matches(trust)
        if inside and trust.cohort_id != group.pk:
            trust.cohort_id = group.pk
            changed.append(trust)
        elif not inside and trust.cohort_id == group.pk:
            trust.cohort_id = None
            changed.append(trust)
    return changed


def peer_groups_rules_apply() -> None:
    """Re-apply every rule group, oldest saved first, so the last saved wins a tie."""
    trusts = list(Trust.objects.all())
    changed: dict[int, Trust] = {}
    for group in PeerGroup.objects.filter(is_type_default=False).order_by("updated_at", "pk"):
        if group.has_rules:
            changed.update({t.pk: t for t in _rules_apply(group, trusts)})
    Trust.objects.bulk_update(list(changed.values()), ["cohort"])


@transaction.atomic
def peer_group_save(*, group: PeerGroup, actor: User | None) -> PeerRecompute | None:
    """Save a group an admin edited, apply its rules, and queue the benchmarks' recompute
    when anyone's cohort changed (None when nobody's did)."""
    before = trust_cohorts()
    group.full_clean()
    group.save()
    if group.has_rules:
        peer_groups_rules_apply()
    return peer_recompute_if_changed(
        before=before, reason=f"Cohort “{group.name}” saved", actor=actor
    )


@transaction.atomic
def peer_group_delete(*, group: PeerGroup, actor: User | None) -> PeerRecompute | None:
    """Delete a group an admin made: its trusts go back to their type's group."""
    if group.is_type_default:
        raise ValidationError("The default group of a trust type cannot be deleted.")
    before = trust_cohorts()
    name = group.name
    group.delete()
    return peer_recompute_if_changed(before=before, reason=f"Cohort “{name}” deleted", actor=actor)


def peer_recompute_if_changed(
    *, before: dict[int, str], reason: str, actor
) -> PeerRecompute | None:
    """Queue the recompute when the cohorts differ from `before` and there are values."""
    # NOTE: only trusts known before count: a trust just added has no values to move.
    now = trust_cohorts()
    if all(now.get(pk) == code for pk, code in before.items()):
        return None
    if not MetricValue.objects.exists():
        return None
    return peer_recompute_request(reason=reason, actor=actor)


def peer_recompute_request(*, reason: str, actor: User | None) -> PeerRecompute:
    """A recompute job, queued after the commit; one still waiting in the queue is reused
    (it reads the cohorts when it runs, so it covers this change too)."""
    waiting = PeerRecompute.objects.filter(status=PeerRecompute.Status.QUEUED).first()
    if waiting is not None:
        return waiting
    job = PeerRecompute.objects.create(reason=reason[:300], requested_by=actor)
    job.job_dispatch = queue_on_commit(RECOMPUTE_TASK, job.pk)
    return job


def peer_recompute_run(*, recompute_id: int) -> PeerRecompute:
    """Recompute every month's benchmarks, a year of months per transaction, saving the
    months done after each; a job another run has (or finished) is left as it is."""
    # NOTE: imported here, not at start-up: it needs numpy, and pages import this module.
    from .benchmark_store import benchmarks_refresh

    if not job_claim(job_kind_for(PeerRecompute), recompute_id):
        return PeerRecompute.objects.get(pk=recompute_id)
    months = sorted(MetricValue.objects.order_by().values_list("period", flat=True).distinct())
    PeerRecompute.objects.filter(pk=recompute_id).update(months_total=len(months), months_done=0)
    for start in range(0, len(months), MONTHS_A_STEP):
        step = months[start : start + MONTHS_A_STEP]
        benchmarks_refresh(periods=step)
        PeerRecompute.objects.filter(pk=recompute_id).update(months_done=start + len(step))
    PeerRecompute.objects.filter(pk=recompute_id).update(
        status=PeerRecompute.Status.DONE, finished_at=timezone.now()
    )
    return PeerRecompute.objects.get(pk=recompute_id)


def peer_recompute_fail(*, recompute_id: int, reason: str) -> None:
    """Mark an unfinished job failed; the months it finished keep their new benchmarks."""
    PeerRecompute.objects.filter(pk=recompute_id).exclude(status=PeerRecompute.Status.DONE).update(
        status=PeerRecompute.Status.FAILED, error=reason, finished_at=timezone.now()
    )


@transaction.atomic
def context_note_save(
    *, actor: User, trust: Trust, metric: MetricDefinition, text: str
) -> MetricContextNote | None:
    """Add, change or (with empty text) remove the context note of one metric of a trust."""
    may_edit_context_note(actor, trust).enforce()
    text = text.strip()
    if len(text) > 2000:
        raise ValidationError(CONTEXT_TOO_LONG.format(count=len(text)), code="too_long")
    if not text:
        MetricContextNote.objects.filter(trust=trust, metric=metric).delete()
        return None
    note, _ = MetricContextNote.objects.update_or_create(
        trust=trust,
        metric=metric,
        defaults={"text": text, "updated_by": actor, "updated_at": timezone.now()},
    )
    return note
