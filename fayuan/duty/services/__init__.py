"""Every write of the duty app (one module per part)."""

from .duties import (
    duty_check_in,
    duty_check_out,
    duty_flag_no_shows,
    inspection_record,
    swap_decide,
    swap_request,
)
from .help import help_record_create
from .pools import pool_admit, pool_leave, unavailability_record, unavailability_record_own
from .rota import rota_generate, rota_publish

__all__ = [
    "duty_check_in", "duty_check_out", "duty_flag_no_shows", "help_record_create", "inspection_record",
    "pool_admit", "pool_leave", "rota_generate", "rota_publish", "swap_decide", "swap_request",
    "unavailability_record", "unavailability_record_own",
]
