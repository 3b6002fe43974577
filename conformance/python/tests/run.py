"""unittest runner that ends with the plain "N passed, N failed" line."""

import os
import sys
import unittest

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)

if __name__ == "__main__":
    names = [a for a in sys.argv[1:] if not a.startswith("-")]
    loader = unittest.TestLoader()
    suite = (loader.loadTestsFromNames(names) if names
             else loader.discover(here, pattern="test_*.py"))
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    failed = len(result.failures) + len(result.errors)
    print("conformance-python: {} passed, {} failed".format(result.testsRun - failed, failed))
    sys.exit(0 if result.wasSuccessful() else 1)
