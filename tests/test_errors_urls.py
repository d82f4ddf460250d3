"""The site's URLs, and pages that fail on purpose, for tests/test_errors.py."""

from config.urls import handler500, urlpatterns  # noqa: F401 - the site's own
from tests.test_errors import urlpatterns as failing

urlpatterns = failing + urlpatterns
