# Replaced by the import views (helper at work).
from protutor.people.views import home as import_apply  # noqa: F401
from protutor.people.views import home as import_preview  # noqa: F401
from protutor.people.views import home as import_start  # noqa: F401
