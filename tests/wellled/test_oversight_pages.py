"""The oversight page in pages of 50: filters kept in the page links, the CSV whole."""

import csv
import io
import re
from http import HTTPStatus

import pytest

from tests.factories import TrustFactory

pytestmark = pytest.mark.django_db

URL = "/well-led/oversight/"


@pytest.fixture
def sixty_north_and_five_south():
    for n in range(65):
        TrustFactory(
            ods_code=f"O{n:03d}", name=f"Trust {n:03d}", region="North" if n < 60 else "South"
        )


def trusts_shown(response) -> list[str]:
    assert response.status_code == HTTPStatus.OK
    return re.findall(r">(Trust \d{3})</a>", response.content.decode())


def test_page_two_shows_the_next_trusts_and_keeps_the_filters(
    client, assessor, sixty_north_and_five_south
):
    client.force_login(assessor)
    first = client.get(URL, {"region": "North"})
    assert trusts_shown(first) == [f"Trust {n:03d}" for n in range(50)]
    page = first.content.decode()
    assert '<nav class="govuk-pagination" aria-label="Pages of trusts">' in page
    assert "60 trusts" in page
    assert 'href="?region=North&amp;page=2" rel="next"' in page
    second = client.get(URL, {"region": "North", "page": 2})
    assert trusts_shown(second) == [f"Trust {n:03d}" for n in range(50, 60)]


def test_the_csv_has_every_row_whichever_page_it_is_asked_from(
    client, assessor, sixty_north_and_five_south
):
    client.force_login(assessor)
    page = client.get(URL, {"page": 2}).content.decode()
    link = re.search(r'href="\?([^"]*format=csv)"', page).group(1).replace("&amp;", "&")
    assert "page" not in link
    rows = list(csv.reader(io.StringIO(client.get(f"{URL}?{link}").content.decode())))
    assert len(rows[1:]) == 65


@pytest.mark.parametrize(("asked", "shown"), [("abc", 0), ("-1", 50), ("99", 50)])
def test_a_page_number_that_is_not_a_page_shows_the_first_or_last_page(
    client, assessor, sixty_north_and_five_south, asked, shown
):
    client.force_login(assessor)
    assert trusts_shown(client.get(URL, {"page": asked}))[0] == f"Trust {shown:03d}"
