"""The words around each workflow action: what its check page says will happen and what
cannot be undone, the message after it (what happened, who was told, what happens next) and
the line it leaves in the history.

Kept as data beside the workflow table (workflow.py), one entry per action. Who was told is
read from the notifications table, so a message never promises an e-mail nobody sends.
"""

from dataclasses import dataclass

from django.urls import reverse

from .notifications import EVENTS, NOTIFY_AFTER

PRIMARY, SECONDARY, WARNING = "", "govuk-button--secondary", "govuk-button--warning"

TOLD = {
    "trust": "the trust",
    "team": "the assessment team",
    "qa": "the QA committee",
    "cqc": "CQC",
    "lead": "the lead assessor",
    "signers": "the people who sign off answers",
}


@dataclass(frozen=True)
class Wording:
    will: str  # what will happen, on the check page
    final: str  # what cannot be undone ("" when the step can be reversed)
    done: str  # the message after: what happened
    next: str  # the message after: what happens next
    past: str  # the history line: "Priya Raman returned it to the assessors"
    note_label: str = ""  # the note box, only where a note means something
    button: str = PRIMARY  # the button's style: the usual way on, or the way back
    page: str = ""  # the page that takes the action, where it needs more than a note


FINALISING = (
    "The ratings freeze, and the final report is rendered and embargoed until the "
    "publication date you give."
)

WORDS: dict[str, Wording] = {
    "close_commentary": Wording(
        will="The trust can no longer write or change its commentary, and the team starts "
        "gathering evidence.",
        final="You cannot reopen the commentary.",
        done="Commentary is closed.",
        next="The team now gathers evidence and proposes the ratings.",
        past="closed commentary",
    ),
    "submit_commentary": Wording(
        will="Your commentary on every key line of enquiry goes to the assessment team.",
        final="You cannot change your commentary after you submit it.",
        done="Your commentary is submitted.",
        next="The assessment team now gathers evidence; you can still read your commentary.",
        past="submitted the trust's commentary",
    ),
    "propose_rating": Wording(
        will="The proposed ratings, their rationales and the evidence go to the QA committee, "
        "which ratifies them or returns them with its reasons.",
        final="The team cannot change the evidence or ratings while QA reviews them.",
        done="The rating is proposed for QA.",
        next="The QA committee now ratifies it or returns it to the team.",
        past="proposed the rating for QA",
    ),
    "ratify": Wording(
        will="The proposed ratings are ratified. The lead assessor then renders the draft "
        "report and shares it with the trust.",
        final="You cannot return the rating to the assessors after ratifying it.",
        done="The rating is ratified.",
        next="The lead assessor now renders the draft report and shares it with the trust.",
        past="ratified the rating",
    ),
    "return": Wording(
        will="The assessment goes back to the assessors with your note, to change the "
        "evidence or ratings and propose the rating again. You will not see it until they do.",
        final="",
        done="Returned to the assessors with your note.",
        next="You will see the assessment again when the lead assessor proposes the rating.",
        past="returned it to the assessors",
        note_label="Why are you returning it?",
        button=SECONDARY,
    ),
    "share_draft": Wording(
        will="The trust receives the draft report and can raise factual-accuracy challenges "
        "for ten working days, until {deadline:%A %d %B %Y}. CQC can read the draft for "
        "information.",
        final="You cannot withdraw the draft once it is shared.",
        done="The draft report is shared with the trust.",
        next="The trust can raise challenges until {deadline:%d %B %Y}; answer each one on "
        "the challenges page.",
        past="shared the draft report",
    ),
    "close_factual_accuracy": Wording(
        will="The trust can raise no more challenges, and the rating goes to CQC to accept "
        "or dispute.",
        final="You cannot reopen the factual-accuracy check.",
        done="The factual-accuracy check is closed.",
        next="CQC now accepts or disputes the rating.",
        past="closed the factual-accuracy check",
        note_label="Why are you closing the check before the deadline?",
    ),
    "accept_rating": Wording(
        will=f"The proposed rating becomes the final rating. {FINALISING}",
        final="You cannot change the ratings after accepting them.",
        done="The rating is accepted and the assessment is finalised.",
        next="The final report is being rendered; publish it from the assessment page once "
        "it is ready.",
        past="accepted the rating",
    ),
    "dispute_rating": Wording(
        will="The rating goes to a discussion between CQC and the team; you then record the "
        "agreed rating.",
        final="",
        done="The rating is disputed, with your reasons.",
        next="Discuss it with the team on the discussion page, then record the agreed rating.",
        past="disputed the rating",
        note_label="Why do you dispute the rating?",
        button=SECONDARY,
    ),
    "agree_rating": Wording(
        will="These become the agreed ratings. If none differs from the proposal, the "
        f"assessment is finalised at once: {FINALISING[0].lower()}{FINALISING[1:]} If CQC "
        "changed a rating, the lead assessor first revises its rationale.",
        final="You cannot change the agreed ratings after recording them.",
        done="The agreed rating is recorded.",
        next="",
        past="recorded the agreed rating",
        page="assessments:agree_rating",
    ),
    "confirm_revision": Wording(
        will=f"The revised rationales are confirmed. {FINALISING}",
        final="You cannot change the ratings or rationales after finalising.",
        done="The revised text is confirmed and the assessment is finalised.",
        next="The final report is being rendered; publish it from the assessment page once "
        "it is ready.",
        past="confirmed the revised text and finalised",
    ),
    "publish": Wording(
        will="The rating and the final report appear on the public register and on the "
        "trust's page, open to anyone.",
        final="You cannot unpublish the rating.",
        done="The rating and the final report are published.",
        next="The trust can ask for a review of the rating within 15 working days.",
        past="published the rating",
    ),
}


def told(action: str) -> str:
    """Who the action's e-mail goes to, in words ("" when it sends none)."""
    event = NOTIFY_AFTER.get(action)
    if event is None or event not in EVENTS:
        return ""
    names = [TOLD[who] for who in EVENTS[event].who if who in TOLD]
    return " and ".join(names)


def done_message(action: str, **values) -> str:
    """The message after the action: what happened, who was told, what happens next."""
    words = WORDS[action]
    parts = [words.done]
    if whom := told(action):
        verb = "have" if " and " in whom else "has"
        parts.append(f"{whom[0].upper()}{whom[1:]} {verb} been told.")
    if words.next:
        parts.append(words.next.format(**values))
    return " ".join(parts)


def action_url(action: str, assessment) -> str:
    """Where the action's button goes: its own page if it has one, else its check page."""
    page = WORDS[action].page
    if page:
        return reverse(page, kwargs={"pk": assessment.pk})
    return reverse(
        "assessments:assessment_transition", kwargs={"pk": assessment.pk, "action": action}
    )


# Steps the history records that are not workflow actions (they have no check page).
HISTORY_ONLY = {
    "move_site_visit": "moved the site visit",
    "change_team": "changed the lead or the team",
}


def history_line(action: str) -> str:
    """The action as the history reads it; an action no longer in the table keeps its code."""
    words = WORDS.get(action)
    if words:
        return words.past
    return HISTORY_ONLY.get(action, action.replace("_", " "))
