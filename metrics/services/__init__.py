"""Writes of the metrics app: loads, users, the security log and second factors.

NOTE: the names are imported from their modules on first use (PEP 562), not here: several
modules need pandas, which costs a third of a second, and this package is imported at
start-up by every process (the Celery tasks import `data_load_run`).
"""

from importlib import import_module

_MODULE_OF = {
    "benchmarks_compute": "benchmarks",
    "benchmarks_refresh": "benchmark_store",
    "cqc_rating_add": "cqc_ratings",
    "cqc_ratings_add": "cqc_ratings",
    "finance_scores_frame": "finance_scores",
    "finance_scores_refresh": "finance_scores",
    "data_load_create": "loads",
    "data_load_fail": "load_outcome",
    "data_load_run": "loads",
    "MetricValueRowError": "metric_values",
    "metric_definitions_load": "metric_values",
    "metric_values_load_file": "metric_values",
    "metric_values_load_run": "metric_values",
    "metric_values_parse": "metric_values",
    "metric_values_write": "metric_values",
    "notification_open": "notifications",
    "notifications_deliver": "notifications",
    "security_event_record": "security",
    "TrustRowError": "trusts",
    "trusts_load": "trusts",
    "trusts_parse": "trusts",
    "recovery_codes_issue": "two_factor",
    "totp_confirm": "two_factor",
    "totp_device_start": "two_factor",
    "two_factor_reset": "two_factor",
    "two_factor_verify": "two_factor",
    "user_create": "users",
}

__all__ = sorted(_MODULE_OF)


def __getattr__(name: str):
    if name not in _MODULE_OF:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{_MODULE_OF[name]}", __name__), name)
    globals()[name] = value
    return value
