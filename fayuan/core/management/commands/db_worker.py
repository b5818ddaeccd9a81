"""``manage.py db_worker``: the queue library's worker with a lease, so that a task left RUNNING by a worker that
died is run again (``fayuan.core.worker``). It shadows the library's command of the same name (fayuan.core comes
before django_tasks_db in INSTALLED_APPS), so no worker without a lease can run here."""

from __future__ import annotations

import os
import signal
from typing import Any

from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker as library

from fayuan.core.worker import LeaseKeeper, tasks_recover_orphans, worker_lease_release, worker_lease_renew


class LeasedWorker(library.Worker):
    def configure_signals(self) -> None:
        ignored_sigint = signal.getsignal(signal.SIGINT) is signal.SIG_IGN
        super().configure_signals()
        if ignored_sigint:
            # Started in the background by a shell (``make run``), which ignores Ctrl-C for its background jobs and
            # stops them with one SIGTERM instead. Catching the terminal's SIGINT as well would make that SIGTERM a
            # second signal, which the library treats as "force": the running task would be cut off.
            signal.signal(signal.SIGINT, signal.SIG_IGN)

    def run(self) -> None:
        worker_lease_renew(worker_id=self.worker_id)  # before the first claim: our own tasks are never orphans
        recovered = tasks_recover_orphans()
        if recovered:
            library.logger.warning("Recovered %d task(s) left RUNNING by dead workers", recovered)
        keeper = LeaseKeeper(self.worker_id)
        keeper.start()
        try:
            super().run()
        finally:
            keeper.stop()
            worker_lease_release(worker_id=self.worker_id)


class Command(library.Command):
    help = "运行后台任务进程（数据库队列，带租约：进程意外退出时其任务会重新执行）。Run a database task worker."

    def handle(self, *, verbosity: int, queue_name: str, interval: float, batch: bool, backend_name: str,
               startup_delay: bool, reload: bool, max_tasks: int | None, worker_id: str, exclude_queues: str,
               **options: Any) -> None:
        # As the library's handle(), with LeasedWorker.
        self.configure_logging(verbosity)
        if reload and batch:
            library.logger.warning("--reload and --batch cannot be specified together. Disabling autoreload.")
            reload = False
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = LeasedWorker(queue_names=queue_names, interval=interval, batch=batch, backend_name=backend_name,
                              startup_delay=startup_delay, max_tasks=max_tasks, worker_id=worker_id,
                              excluded_queue_names=excluded)
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
