"""The rules the rows of assessments/access.py apply over the workflow states: who sees an
assessment in each state, and who may act on it there.

Kept apart from the rows so the table itself reads as a table.
"""

from core.access import (
    A,
    Actor,
    Answer,
    answers,
)

# The workflow states in order (assessments.models.Status); kept here as data so this table
# reads on its own.
ASSESSMENT_STATES = [
    "scheduled",
    "evidence",
    "qa_review",
    "draft_report",
    "factual_accuracy",
    "cqc_review",
    "dispute",
    "revision",
    "finalised",
    "published",
]


def assessment_visibility(state: str, seen: Answer = Answer.OK) -> dict[Actor, Answer]:
    """Who sees an assessment of the own trust in `state`: its team, admins and the trust
    always; QA from qa_review on; CQC from factual_accuracy on (the shared draft, for
    information); everyone else gets 404."""
    index = ASSESSMENT_STATES.index
    return answers(
        A.NOT_FOUND,
        anonymous=A.LOGIN,
        admin=seen,
        assessor_on_team=seen,
        trust_own=seen,
        qa=seen if index(state) >= index("qa_review") else A.NOT_FOUND,
        cqc=seen if index(state) >= index("factual_accuracy") else A.NOT_FOUND,
    )


def by_assessment_state(**method_answers: Answer) -> dict[str, dict[str, dict[Actor, Answer]]]:
    """A by_state table: for each method, who sees the assessment in each state."""
    return {
        state: {
            method: assessment_visibility(state, seen) for method, seen in method_answers.items()
        }
        for state in ASSESSMENT_STATES
    }


def by_assessment_rule(**method_rules) -> dict[str, dict[str, dict[Actor, Answer]]]:
    """A by_state table where those who see the assessment get what `rule(state, actor)`
    says (those who do not see it get 404, anonymous people the sign-in page, as above)."""

    def table(state: str, rule) -> dict[Actor, Answer]:
        seen = assessment_visibility(state)
        return {
            actor: rule(state, actor) if seen[actor] == Answer.OK else seen[actor]
            for actor in Actor
        }

    return {
        state: {method: table(state, rule) for method, rule in method_rules.items()}
        for state in ASSESSMENT_STATES
    }


def team_while(states: tuple[str, ...], ok: Answer = Answer.OK):
    """A rule: the assessor on the team gets `ok` in `states`; everyone else who sees the
    assessment gets 403 (they may look at it but not act)."""
    return lambda state, actor: (
        ok if actor == Actor.ASSESSOR_ON_TEAM and state in states else Answer.FORBIDDEN
    )


def staff_only(state: str, actor: Actor) -> Answer:
    """A rule: NHS Improvement and CQC staff who see the assessment read; a trust gets 403."""
    return Answer.FORBIDDEN if actor == Actor.TRUST_OWN else Answer.OK


def staff_record(state: str, actor: Actor) -> Answer:
    """A rule for the internal decision record: staff who see the assessment read it; the
    trust gets 404 in every state (it must not learn what the record holds)."""
    return Answer.NOT_FOUND if actor == Actor.TRUST_OWN else Answer.OK


def staff_record_then(ok: Answer):
    """`staff_record`, with `ok` for the staff who may act on it."""
    return lambda state, actor: (
        Answer.NOT_FOUND if staff_record(state, actor) == Answer.NOT_FOUND else ok
    )


def internal(state: str, actor: Actor) -> Answer:
    """A rule for NHSI's internal evidence: staff who see the assessment see it; the trust
    gets 404 (it must not learn the evidence exists) until the draft report is shared."""
    if actor == Actor.TRUST_OWN:
        shared = ASSESSMENT_STATES.index(state) >= ASSESSMENT_STATES.index("factual_accuracy")
        return Answer.OK if shared else Answer.NOT_FOUND
    return Answer.OK


def internal_then(rule):
    """`internal` first (404 for a trust before the draft is shared), then `rule`."""
    return lambda state, actor: (
        Answer.NOT_FOUND if internal(state, actor) == Answer.NOT_FOUND else rule(state, actor)
    )


def trust_own_while(states: tuple[str, ...], ok: Answer = Answer.OK):
    """A rule: the trust's own users get `ok` in `states`, 403 after; everyone else 403."""
    return lambda state, actor: (
        ok if actor == Actor.TRUST_OWN and state in states else Answer.FORBIDDEN
    )


def only(actors: tuple[Actor, ...], states: tuple[str, ...], ok: Answer = Answer.OK):
    """A rule: `actors` get `ok` in `states`; everyone else who sees the assessment 403."""
    return lambda state, actor: ok if actor in actors and state in states else Answer.FORBIDDEN


def action_page(actors: tuple[Actor, ...], states: tuple[str, ...]):
    """A rule for a workflow action's check page: `actors` get it in `states` and are sent
    back to the assessment, told why, in any other; everyone else who sees it 403."""
    return lambda state, actor: (
        (Answer.OK if state in states else Answer.REDIRECT) if actor in actors else Answer.FORBIDDEN
    )


def report_requester(state: str, actor: Actor) -> Answer:
    """A rule: the lead assessor requests the draft at draft_report, CQC the final report
    once finalised (then sent back to the report list); anyone else who sees it gets 403."""
    if (actor, state) in ((Actor.ASSESSOR_ON_TEAM, "draft_report"), (Actor.CQC, "finalised")):
        return Answer.REDIRECT
    return Answer.FORBIDDEN


# The team answers consistency findings from evidence gathering until the factual-accuracy
# check closes; staff who see the assessment read them; a trust gets 404 (internal).
FINDING_ANSWER_STATES = ("evidence", "qa_review", "draft_report", "factual_accuracy")


def findings_answer(ok: Answer):
    return lambda state, actor: (
        Answer.NOT_FOUND
        if actor == Actor.TRUST_OWN
        else team_while(FINDING_ANSWER_STATES, ok)(state, actor)
    )


# The lead hands the assessment over or changes its team until the rating is final; an
# empty post shows the errors (the page) or is refused as invalid (the API).
TEAM_STATES = tuple(ASSESSMENT_STATES[: ASSESSMENT_STATES.index("finalised")])
TEAM_CHANGE_PAGE = by_assessment_rule(GET=team_while(TEAM_STATES), POST=team_while(TEAM_STATES))
TEAM_CHANGE_API = by_assessment_rule(POST=team_while(TEAM_STATES, ok=Answer.INVALID))
