import pytest
from django.core.exceptions import ValidationError

from accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_email_is_the_login_and_is_stored_lower_case():
    user = User.objects.create_user("Lea.Martin@Example.ORG", "secret-pass-123")
    assert user.email == "lea.martin@example.org"
    assert user.USERNAME_FIELD == "email"
    assert not hasattr(user, "username") or user.username is None


def test_superuser_is_an_hr_admin():
    admin = User.objects.create_superuser("admin@example.org", "x")
    assert admin.role == User.Role.HR_ADMIN
    assert admin.is_staff and admin.is_superuser


def test_reporting_chain_walks_up_to_the_top():
    ceo = UserFactory()
    director = UserFactory(manager=ceo)
    lead = UserFactory(manager=director)
    junior = UserFactory(manager=lead)
    assert junior.reporting_chain_ids() == [lead.pk, director.pk, ceo.pk]
    assert ceo.reporting_chain_ids() == []


def test_a_person_cannot_manage_themselves():
    user = UserFactory()
    user.manager = user
    with pytest.raises(ValidationError) as error:
        user.full_clean()
    assert error.value.message_dict["manager"] == [
        "Une personne ne peut pas être son propre responsable hiérarchique."
    ]


def test_a_loop_in_the_reporting_line_is_refused():
    top = UserFactory()
    middle = UserFactory(manager=top)
    bottom = UserFactory(manager=middle)
    top.manager = bottom
    with pytest.raises(ValidationError) as error:
        top.full_clean()
    assert error.value.message_dict["manager"] == [
        "Cela créerait une boucle dans la ligne hiérarchique."
    ]


def test_reporting_chain_stops_on_bad_data():
    a = UserFactory()
    b = UserFactory(manager=a)
    User.objects.filter(pk=a.pk).update(manager=b)  # a loop written behind our back
    b.refresh_from_db()
    assert b.reporting_chain_ids() == [a.pk]


def test_seniority_is_capped():
    user = UserFactory.build(seniority_years=61, email="old@example.org")
    with pytest.raises(ValidationError) as error:
        user.full_clean(exclude=["password"])
    assert "seniority_years" in error.value.message_dict
