"""Every model that points at a person is exported, or excluded on purpose with a reason."""

from django.apps import apps
from django.conf import settings

from privacy.services import EXCLUDED, EXPORT_KINDS, EXPORT_REGISTRY


def models_pointing_at_the_user() -> set[str]:
    """Labels of the models with a foreign key, one-to-one or many-to-many to the user model."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    return {
        model._meta.label
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if field.is_relation
        and not field.auto_created
        and (field.many_to_one or field.one_to_one or field.many_to_many)
        and field.related_model is user_model
    }


def test_every_model_pointing_at_a_person_is_exported_or_excluded():
    exported = {model._meta.label for model in EXPORT_REGISTRY}

    missing = models_pointing_at_the_user() - exported - set(EXCLUDED)

    assert missing == set(), (
        "Add these models to privacy.services.EXPORT_REGISTRY, or to EXCLUDED with a reason: "
        + ", ".join(sorted(missing))
    )


def test_the_walk_sees_third_party_models():
    # The check above is only as good as the walk: it must reach beyond our apps.
    found = models_pointing_at_the_user()

    assert {"account.EmailAddress", "admin.LogEntry", "auditlog.LogEntry"} <= found
    assert "pairs.PrivateNote" in found


def test_a_model_is_either_exported_or_excluded_not_both():
    exported = {model._meta.label for model in EXPORT_REGISTRY}

    assert exported & set(EXCLUDED) == set()


def test_every_exclusion_gives_a_reason_and_names_a_real_model():
    for label, reason in EXCLUDED.items():
        assert apps.get_model(label) is not None
        assert len(reason.split()) >= 5, label


def test_every_kind_of_export_is_a_separate_json_file():
    filenames = [kind.filename for kind in EXPORT_KINDS]

    assert len(filenames) == len(set(filenames))
    assert all(name.endswith(".json") for name in filenames)
    assert set(EXPORT_REGISTRY.values()) == set(EXPORT_KINDS)
