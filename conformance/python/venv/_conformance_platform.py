"""Make charmhelpers believe it runs on Ubuntu, inside the conformance venv only.

charmhelpers (1.2.1) decides at import time which platform module to load
from the NAME field of /etc/os-release and raises RuntimeError for anything
it does not know, "Debian GNU/Linux" included. Juju machines run Ubuntu, and
nothing the conformance charms use differs between the two, so this module
wraps the loading of ``charmhelpers.osplatform`` and replaces its
os-release reader with one that answers "Ubuntu".

It is installed by bootstrap-venv.sh into the venv's site-packages together
with a ``.pth`` file that imports it; the machine itself is never changed.
"""

import importlib.abc
import sys

_TARGET = "charmhelpers.osplatform"


class _PatchingLoader(importlib.abc.Loader):
    def __init__(self, inner):
        self._inner = inner

    def create_module(self, spec):
        return self._inner.create_module(spec)

    def exec_module(self, module):
        self._inner.exec_module(module)
        # The only platform-dependent decision in charmhelpers goes through
        # this reader (the linux_distribution branch is dead on Python 3.8+).
        module._get_platform_from_fs = lambda: "Ubuntu"


class _OsPlatformFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path, target=None):
        if fullname != _TARGET:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None and spec.loader is not None:
                spec.loader = _PatchingLoader(spec.loader)
                return spec
        return None


if not any(isinstance(f, _OsPlatformFinder) for f in sys.meta_path):
    sys.meta_path.insert(0, _OsPlatformFinder())
