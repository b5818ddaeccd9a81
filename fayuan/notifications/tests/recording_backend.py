"""An SMS backend for the worker-crash test: it runs inside a worker subprocess and appends each delivery's
message id to a file (one line, appended and synced, so it survives the process being killed), then waits a moment
as a gateway's acknowledgement would: a worker killed in that moment has delivered a message it never marked sent."""

from __future__ import annotations

import os
import time
from typing import Any

from fayuan.notifications.sms import BaseSMSBackend


class RecordingSMSBackend(BaseSMSBackend):
    name = "recording"

    def send(self, phone: str, text: str, *, message_id: str, template: str = "",
             params: Any = None) -> None:
        fd = os.open(os.environ["SMS_RECORD_FILE"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, f"{message_id}\n".encode())
            os.fsync(fd)
        finally:
            os.close(fd)
        time.sleep(float(os.environ.get("SMS_RECORD_DELAY", "0")))
