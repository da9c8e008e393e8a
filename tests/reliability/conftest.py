"""The slow fault tests (marked `prove`) run only when asked for: `make prove`."""


def pytest_collection_modifyitems(config, items):
    if "prove" in (config.option.markexpr or ""):
        return
    slow = [item for item in items if item.get_closest_marker("prove")]
    if slow:
        config.hook.pytest_deselected(items=slow)
        items[:] = [item for item in items if not item.get_closest_marker("prove")]
