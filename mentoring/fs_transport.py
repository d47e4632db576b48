"""Celery's filesystem transport (laptop mode), with messages that appear whole.

kombu's channel creates a message file, then writes it: a worker polling the
folder in between can take the empty file, fail to decode it and stop with
"Unrecoverable error: JSONDecodeError" (celery/kombu#1551). Here a message is
written under a name the readers skip, then renamed into place, which is
atomic on one filesystem.
"""

import os
import uuid
from time import monotonic

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        # Readers only take names ending in ".<queue>.msg": this one is skipped.
        partial = f"{final}.partial"
        try:
            with open(partial, "wb") as f:
                f.write(str_to_bytes(dumps(payload)))
            os.replace(partial, final)
        except OSError as exc:
            raise ChannelError(f"Cannot add file {final!r} to directory") from exc


class Transport(filesystem.Transport):
    Channel = Channel
