"""The laptop broker: kombu's filesystem transport with messages written whole."""

import queue

import pytest
from kombu import Connection


@pytest.fixture
def connection(tmp_path):
    folder = tmp_path / "queue"
    folder.mkdir()
    (tmp_path / "control").mkdir()
    options = {
        "data_folder_in": str(folder),
        "data_folder_out": str(folder),
        "control_folder": str(tmp_path / "control"),  # kombu's default is ./control
        "polling_interval": 0.05,
    }
    with Connection(
        "filesystem://", transport="mentoring.fs_transport:Transport", transport_options=options
    ) as conn:
        conn.folder = folder
        yield conn


def test_messages_go_through(connection):
    with connection.SimpleQueue("rappels") as q:
        q.put({"pairing": 7, "kind": "veille"})
        message = q.get(timeout=2)
        assert message.payload == {"pairing": 7, "kind": "veille"}
        message.ack()
    assert list(connection.folder.iterdir()) == []


def test_a_message_still_being_written_is_left_alone(connection):
    # What a reader could meet with kombu's own channel: the file is there, still empty.
    # A queue name of its own: kombu remembers the queues it declared, per process.
    (connection.folder / "1_0000.relances.msg.partial").write_bytes(b"")
    with connection.SimpleQueue("relances") as q:
        with pytest.raises(queue.Empty):
            q.get(timeout=0.3)
        q.put({"pairing": 8})
        assert q.get(timeout=2).payload == {"pairing": 8}
    assert [p.name for p in connection.folder.iterdir()] == ["1_0000.relances.msg.partial"]


def test_celery_uses_it_when_there_is_no_redis(settings):
    from mentoring.celery import app

    expected = (
        "kombu.transport.redis"
        if settings.CELERY_BROKER_URL.startswith("redis")
        else "mentoring.fs_transport"
    )
    assert type(app.connection_for_write().transport).__module__ == expected
