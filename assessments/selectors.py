"""Reads for the assessments app: what each person has to do next."""

from dataclasses import dataclass

from django.urls import reverse

from metrics.models import DataLoad, Role, Trust, User


@dataclass(frozen=True)
class Task:
    """One line of a person's to-do list on their home page."""

    title: str
    detail: str
    url: str = ""


def home_tasks_for(*, user: User) -> list[Task]:
    """What `user` has to do next, by role. Later workflow steps add their own tasks."""
    builders = {
        Role.ADMIN: _admin_tasks,
        Role.ASSESSOR: _assessor_tasks,
        Role.QA: _qa_tasks,
        Role.CQC: _cqc_tasks,
        Role.TRUST: _trust_tasks,
    }
    return builders[user.role](user)


def _admin_tasks(user: User) -> list[Task]:
    tasks = []
    trust_count = Trust.objects.count()
    if trust_count == 0:
        tasks.append(
            Task(
                "Load the trust registry",
                "No trusts are loaded yet.",
                reverse("metrics:trust_load"),
            )
        )
    else:
        tasks.append(
            Task(
                "Keep the trust registry up to date",
                f"{trust_count} trusts are loaded.",
                reverse("metrics:trust_load"),
            )
        )
    failed = DataLoad.objects.filter(status=DataLoad.Status.FAILED).defer("content").first()
    if failed:
        tasks.append(
            Task(
                f"Fix and reload {failed.file_name}",
                "The last failed load found errors in the file.",
                reverse("metrics:data_load_detail", kwargs={"pk": failed.pk}),
            )
        )
    tasks.append(
        Task(
            "Review the security log",
            "Sign-ins, lock-outs and refused requests.",
            reverse("metrics:security_log"),
        )
    )
    return tasks


def _assessor_tasks(user: User) -> list[Task]:
    return [
        Task(
            "Read a trust's details before scheduling",
            "Assessments you lead or join will be listed here.",
            reverse("metrics:trust_list"),
        )
    ]


def _qa_tasks(user: User) -> list[Task]:
    return [Task("Nothing awaits QA", "Proposed ratings sent for QA will be listed here.")]


def _cqc_tasks(user: User) -> list[Task]:
    return [Task("Nothing awaits CQC review", "Ratings sent to CQC will be listed here.")]


def _trust_tasks(user: User) -> list[Task]:
    return [
        Task(
            f"Check {user.trust.name}'s details",
            "Requests for commentary and draft reports will be listed here.",
            user.trust.get_absolute_url(),
        )
    ]
