"""Writes of the metrics app: loads, users, the security log and second factors."""

from .benchmark_store import benchmarks_refresh
from .benchmarks import benchmarks_compute
from .finance_scores import finance_scores_frame, finance_scores_refresh
from .loads import data_load_create, data_load_run
from .metric_values import (
    MetricValueRowError,
    metric_definitions_load,
    metric_values_load_file,
    metric_values_load_run,
    metric_values_parse,
    metric_values_write,
)
from .notifications import notification_open, notifications_deliver
from .security import security_event_record
from .trusts import TrustRowError, trusts_load, trusts_parse
from .two_factor import (
    recovery_codes_issue,
    totp_confirm,
    totp_device_start,
    two_factor_reset,
    two_factor_verify,
)
from .users import user_create

__all__ = [
    "MetricValueRowError",
    "TrustRowError",
    "benchmarks_compute",
    "benchmarks_refresh",
    "data_load_create",
    "data_load_run",
    "finance_scores_frame",
    "finance_scores_refresh",
    "metric_definitions_load",
    "metric_values_load_file",
    "metric_values_load_run",
    "metric_values_parse",
    "metric_values_write",
    "notification_open",
    "notifications_deliver",
    "recovery_codes_issue",
    "security_event_record",
    "totp_confirm",
    "totp_device_start",
    "trusts_load",
    "trusts_parse",
    "two_factor_reset",
    "two_factor_verify",
    "user_create",
]
