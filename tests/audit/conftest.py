import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType


class NewEntries:
    """The log entries written since the fixture was created, oldest first."""

    def __init__(self):
        last = LogEntry.objects.order_by("-pk").first()
        self.mark = last.pk if last else 0

    def __call__(self, model=None):
        entries = LogEntry.objects.filter(pk__gt=self.mark).order_by("pk")
        if model is not None:
            entries = entries.filter(content_type=ContentType.objects.get_for_model(model))
        return list(entries)

    def reset(self):
        self.__init__()


@pytest.fixture
def new_entries(db):
    return NewEntries()
