"""The upload storage: Django's file system storage, except that a write that fails leaves no file behind.

Django streams an upload into its final name and, when the disk fills up halfway, leaves the half-written file
there and raises a bare ``OSError``: the page answered 500, and a later reader could take the stub for the upload.
Here the stub is removed and a full disk (or quota, or file-size limit) becomes ``StorageFull``, a 503 with a
clear Chinese message; the service's transaction rolls back, so no row names the file either.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
from typing import Any

from django.core.files.storage import FileSystemStorage

from .errors import StorageFull

logger = logging.getLogger(__name__)
# No space, over quota, over the process's file-size limit: nothing the person at the screen did wrong.
FULL = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


class UploadStorage(FileSystemStorage):
    def _save(self, name: str, content: Any) -> str:
        path = self.path(name)
        # ``Storage.save`` has just picked a free name, so a file there after a failure is this call's stub
        # (names are random UUIDs; the rare stub under a retried name is left to ``purge_orphan_uploads``).
        existed = os.path.lexists(path)
        try:
            return super()._save(name, content)  # type: ignore[misc]  # Django API, absent from the stubs
        except FileExistsError:
            raise
        except OSError as exc:
            if not existed:
                with contextlib.suppress(FileNotFoundError):
                    os.remove(path)
            if exc.errno in FULL:
                logger.error("upload storage full: %s (%s)", self.location, os.strerror(exc.errno or 0))
                raise StorageFull from exc
            raise
