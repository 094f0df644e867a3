from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_wrong_role_gets_a_403_page_that_links_home(personas, client):
    client.force_login(personas.client)
    response = client.get("/clinic-admin/")
    assert response.status_code == 403
    assert b"not available to you" in response.content
    assert b'href="/home/"' in response.content


def test_unknown_page_gets_a_404_page_with_the_layout(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"could not find that page" in response.content
