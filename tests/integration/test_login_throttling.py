"""Login throttling on every login form (django-axes, issue 10).

Twenty wrong passwords, then the right one: refused with the lockout message and HTTP 429,
on the shop's, Wagtail's and Django's admin login forms. Before the limit, the right
password still works, and another account (or the same one from another address) is not
affected. Attempts are database rows: nothing leaks from one test into the next.
"""

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "secret-pass-123"
LOCKED_VI = "Đăng nhập sai quá nhiều lần"
LOCKED_EN = "Too many failed logins"


def shop_form(user, password):
    return reverse("customer:login"), {
        "login-username": user.email,
        "login-password": password,
        "login_submit": "1",
    }


def wagtail_form(user, password):
    return reverse("wagtailadmin_login"), {"username": user.username, "password": password}


def django_admin_form(user, password):
    return reverse("admin:login"), {"username": user.username, "password": password}


@pytest.fixture
def accounts():
    staff = factories.UserFactory(is_staff=True, is_superuser=True)
    return {shop_form: factories.UserFactory(), wagtail_form: staff, django_admin_form: staff}


def logged_in(client):
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("form", [shop_form, wagtail_form, django_admin_form], ids=["shop", "wagtail", "django-admin"])
def test_twenty_wrong_passwords_then_the_right_one_is_refused(client, accounts, form):
    user = accounts[form]
    for _ in range(20):
        url, data = form(user, "wrong-password")
        response = client.post(url, data)
        assert response.status_code in (200, 429)  # the form again, then the lockout page
    assert response.status_code == 429
    url, data = form(user, PASSWORD)
    response = client.post(url, data)
    assert response.status_code == 429
    assert LOCKED_VI in response.content.decode()
    assert not logged_in(client)


def test_the_right_password_works_before_the_limit(client, accounts):
    user = accounts[shop_form]
    for _ in range(4):
        client.post(*shop_form(user, "wrong-password"))
    response = client.post(*shop_form(user, PASSWORD))
    assert response.status_code == 302 and logged_in(client)


def test_a_lockout_touches_only_that_account_from_that_address(client, accounts):
    user, other = accounts[shop_form], factories.UserFactory()
    for _ in range(6):
        client.post(*shop_form(user, "wrong-password"))
    assert client.post(*shop_form(user, PASSWORD)).status_code == 429
    # Same account, another address: not locked (a guesser cannot lock a customer out).
    url, data = shop_form(user, PASSWORD)
    assert client.post(url, data, REMOTE_ADDR="10.1.2.3").status_code == 302
    client.logout()
    # Another account from the locked address: not locked either.
    assert client.post(*shop_form(other, PASSWORD)).status_code == 302


def test_the_case_of_the_e_mail_does_not_buy_more_guesses(client, accounts):
    user = accounts[shop_form]
    for i in range(5):
        url, data = shop_form(user, "wrong-password")
        data["login-username"] = user.email.upper() if i % 2 else user.email
        client.post(url, data)
    assert client.post(*shop_form(user, PASSWORD)).status_code == 429


def test_the_lockout_page_is_english_under_en(client, accounts):
    user = accounts[shop_form]
    for _ in range(6):
        client.post(*shop_form(user, "wrong-password"))
    url, data = shop_form(user, PASSWORD)
    response = client.post("/en" + url, data)
    assert response.status_code == 429
    assert LOCKED_EN in response.content.decode()


def test_force_login_is_not_throttled(client, accounts):
    user = accounts[shop_form]
    for _ in range(6):
        client.post(*shop_form(user, "wrong-password"))
    client.force_login(user)
    assert client.get(reverse("customer:profile-view")).status_code == 200
