"""Trust pages and API: staff see every trust, a trust user only their own."""

from http import HTTPStatus

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_trust_user_sees_their_own_trust_and_not_another(client, trust_user, trust, other_trust):
    client.force_login(trust_user)
    own = client.get(trust.get_absolute_url())
    assert own.status_code == HTTPStatus.OK
    assert trust.name in own.content.decode()
    assert client.get(other_trust.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND
    listing = client.get(reverse("metrics:trust_list")).content.decode()
    assert trust.name in listing
    assert other_trust.name not in listing


def test_api_gives_a_trust_user_only_their_own_trust(client, trust_user, trust, other_trust):
    client.force_login(trust_user)
    data = client.get(reverse("api:trust-list")).json()
    assert [row["ods_code"] for row in data["results"]] == [trust.ods_code]
    other = client.get(reverse("api:trust-detail", kwargs={"ods_code": other_trust.ods_code}))
    assert other.status_code == HTTPStatus.NOT_FOUND
    me = client.get(reverse("api:me")).json()
    assert me == {
        "username": trust_user.username,
        "role": "trust",
        "organisation": "trust",
        "organisation_name": trust.name,
        "trust": trust.ods_code,
    }


def test_staff_see_every_trust(client, cqc_user, trust, other_trust):
    client.force_login(cqc_user)
    codes = {row["ods_code"] for row in client.get(reverse("api:trust-list")).json()["results"]}
    assert codes == {trust.ods_code, other_trust.ods_code}


def test_api_asks_the_signed_out_to_sign_in(client):
    assert client.get(reverse("api:trust-list")).status_code == HTTPStatus.UNAUTHORIZED


def test_openapi_schema_describes_the_api(client, assessor):
    client.force_login(assessor)
    schema = client.get(reverse("api:schema"), HTTP_ACCEPT="application/json").json()
    assert "/api/v1/trusts/" in schema["paths"]
    assert "/api/v1/trusts/{ods_code}/" in schema["paths"]
