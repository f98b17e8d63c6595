"""Stand-ins for modules the official Python codes import but their measured paths never use (shared by bench/*/run_*.py)."""
import sys
import types


def stub(name, **attrs):
    """Registers an empty module `name` (with `attrs`) so `import name` succeeds."""
    mod = types.ModuleType(name)
    mod.__dict__.update(attrs)
    sys.modules[name] = mod
    return mod


class Bar:
    """tqdm's interface without the bar: iterates, is a context manager, ignores descriptions."""

    def __init__(self, iterable=None, *a, **k):
        self.iterable = iterable

    def __iter__(self):
        return iter(self.iterable)

    def set_description_str(self, *a, **k):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *a):
        return False
