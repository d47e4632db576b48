from django.http import Http404
from django.utils.translation import get_language

# A bigint holds 18 digits safely; anything longer would overflow PostgreSQL
# (a 500) instead of simply not existing (a 404).
MAX_ID_DIGITS = 18


def id_param(value) -> int:
    """A primary key taken from a query string or a form: anything else is a 404."""
    text = "" if value is None else str(value)
    if not text.isdigit() or len(text) > MAX_ID_DIGITS:
        raise Http404
    return int(text)


class IdConverter:
    """``<id:pk>`` in URLs: like ``<int:pk>``, but never longer than a bigint."""

    regex = f"[0-9]{{1,{MAX_ID_DIGITS}}}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


def in_reader_language(value: str, value_en: str) -> str:
    """Data kept in two languages: the English text for English readers, if there is one."""
    if value_en and (get_language() or "").startswith("en"):
        return value_en
    return value
