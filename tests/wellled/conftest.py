"""Fixtures of the well-led tests: the real framework and priority scheme from fixtures/."""

import pytest

from wellled.services import wellled_load_all


@pytest.fixture
def framework(db):
    """The 2017 framework and the default priority scheme, loaded as `make run` loads them."""
    from wellled.models import Framework

    wellled_load_all()
    return Framework.objects.get(code="wellled-2017")


@pytest.fixture
def kloes(framework):
    return {kloe.code: kloe for kloe in framework.kloes.all()}
