import pytest

# The hand-built programme whose every figure is known (tests/evaluation/conftest.py):
# erasing one of its people must not change any of them.
from tests.evaluation.conftest import built  # noqa: F401


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(root) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())
