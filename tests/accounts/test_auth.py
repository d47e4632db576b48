"""Login, logout, password reset and language, through allauth."""

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_login_with_email_and_password(client):
    UserFactory(email="marc@example.org")
    response = client.post(
        reverse("account_login"), {"login": "MARC@example.org", "password": "password"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_wrong_password_is_refused_with_a_message(client):
    UserFactory(email="marc@example.org")
    response = client.post(
        reverse("account_login"), {"login": "marc@example.org", "password": "nope"}
    )
    assert response.status_code == 200
    assert "L’adresse e-mail ou le mot de passe sont incorrects." in (response.content.decode())
    assert "_auth_user_id" not in client.session


def test_login_page_speaks_english_when_asked(client):
    response = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="en")
    content = response.content.decode()
    assert '<html lang="en">' in content
    assert "Use your work email." in content
    response = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="fr")
    content = response.content.decode()
    assert '<html lang="fr">' in content
    assert "Utilisez votre adresse e-mail professionnelle." in content


def test_signup_is_closed(client):
    response = client.get(reverse("account_signup"))
    assert "Inscriptions fermées" in response.content.decode()
    client.post(
        reverse("account_signup"),
        {"email": "intrus@example.org", "password1": "Xy!12345678", "password2": "Xy!12345678"},
    )
    from accounts.models import User

    assert not User.objects.filter(email="intrus@example.org").exists()


def test_logout_needs_post(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_a_mail_in_french(client):
    UserFactory(email="chloe@example.org")
    response = client.post(reverse("account_reset_password"), {"email": "chloe@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["chloe@example.org"]
    assert message.subject == "[Mentorat inversé] E-mail de réinitialisation de mot de passe"
    assert "/accounts/password/reset/key/" in message.body


def test_language_switch_is_remembered_on_the_user(client):
    user = UserFactory(language="fr")
    client.force_login(user)
    response = client.post(reverse("language_switch"), {"language": "en", "next": "/programmes/"})
    assert response.status_code == 302
    assert response["Location"] == "/programmes/"
    user.refresh_from_db()
    assert user.language == "en"
    content = client.get(reverse("programme_list")).content.decode()
    assert '<html lang="en">' in content
    assert ">Programmes</h1>" in content
    assert "No programme to show." in content


def test_user_language_wins_over_the_browser(client):
    user = UserFactory(language="en")
    client.force_login(user)
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="fr")
    assert '<html lang="en">' in response.content.decode()


def test_language_switch_ignores_unknown_languages(client):
    user = UserFactory(language="fr")
    client.force_login(user)
    client.post(reverse("language_switch"), {"language": "klingon", "next": "/"})
    user.refresh_from_db()
    assert user.language == "fr"


def test_language_switch_refuses_an_outside_redirect(client):
    response = client.post(
        reverse("language_switch"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


@pytest.mark.parametrize(
    ("language", "subject"),
    [
        ("fr", "[Mentorat inversé] E-mail de réinitialisation de mot de passe"),
        ("en", "[Reverse mentoring] Password Reset Email"),
    ],
)
def test_password_reset_mail_is_in_the_recipients_language(client, language, subject):
    UserFactory(email="hugo@example.org", language=language)
    other = "en" if language == "fr" else "fr"
    client.post(
        reverse("account_reset_password"),
        {"email": "hugo@example.org"},
        HTTP_ACCEPT_LANGUAGE=other,
    )
    assert [m.subject for m in mail.outbox] == [subject]


def test_people_cannot_change_the_address_they_sign_in_with(client):
    from allauth.account.models import EmailAddress

    user = UserFactory(email="lea@example.org", language="en")
    client.force_login(user)
    response = client.get(reverse("account_email"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "You sign in with your work email address, <strong>lea@example.org</strong>." in page
    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "moi@perso.example"}
    )
    assert response.status_code == 405
    assert not EmailAddress.objects.filter(email="moi@perso.example").exists()
    user.refresh_from_db()
    assert user.email == "lea@example.org"
