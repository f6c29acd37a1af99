"""The language switch sends people back only to pages of this site."""

from __future__ import annotations

import pytest

from tests import factories


@pytest.mark.parametrize(
    "target", ["/\\evil.example", "/\\/evil.example", "//evil.example", "https://evil.example"]
)
def test_language_switch_refuses_other_sites(client, target):
    """Does a crafted "next" (backslash tricks included) land on the home page instead?"""
    reply = client.post("/language/en", data={"next": target})
    assert reply.status_code == 302
    assert reply.headers["Location"] == "/"


def test_language_switch_returns_to_a_local_page(client):
    """Does a plain local path still bring the person back where they were?"""
    reply = client.post("/language/en", data={"next": "/signup?x=1"})
    assert reply.headers["Location"] == "/signup?x=1"


@pytest.mark.parametrize("target", ["/\\evil.example", "/\t/evil.example"])
def test_login_refuses_other_sites(client, target):
    """Does a crafted ?next= after login land on the home page instead of another site?"""
    account = factories.user("coordinator")
    reply = client.post(
        "/login",
        query_string={"next": target},
        data={"email": account.email, "password": factories.PASSWORD},
    )
    assert reply.status_code == 302
    assert reply.headers["Location"] == "/home"
