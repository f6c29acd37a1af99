"""The admin reaches the emails from the menu and home; anyone reaches "forgot password"."""

from __future__ import annotations

import re

import pytest

from tests import factories
from tests.web.matching_helpers import login
from tests.web.test_navigation import links


def menu(page: str) -> set[str]:
    """The links of the header's menu."""
    nav = re.search(r'<nav class="site-nav".*?</nav>', page, re.S)
    assert nav, "no menu"
    return links(nav.group(0))


@pytest.mark.parametrize("mail_server", ["", "smtp.example.org"])
def test_admin_reaches_outbox_and_mailbox_from_menu_and_home(app, client, mail_server):
    """Do the admin's menu and home link to the outbox, and to the dev mailbox only without SMTP?"""
    app.config["MAIL_SERVER"] = mail_server
    login(client, factories.user("admin"))
    home = client.get("/home").text
    for page in (home, client.get("/dashboard").text):
        assert "/admin/notifications" in menu(page)
        assert ("/dev/mailbox" in menu(page)) is (not mail_server)
    assert "/admin/notifications" in links(home.split("</header>", 1)[1])
    for target in ("/admin/notifications", "/dev/mailbox"):
        if target in links(home):
            assert client.get(target).status_code == 200, target


def test_coordinator_menu_has_no_admin_pages(app, client):
    """Does a coordinator's menu leave out the admin's email pages?"""
    login(client, factories.user("coordinator", territories=[factories.territory()]))
    page = client.get("/home").text
    assert not {"/admin/notifications", "/dev/mailbox"} & links(page)


def test_login_offers_forgot_password(client):
    """Does the sign-in page link to the forgotten-password page, in Italian too?"""
    page = client.get("/login").text
    assert "/password/forgot" in links(page) and "Password dimenticata?" in page
    assert client.get("/password/forgot").status_code == 200
