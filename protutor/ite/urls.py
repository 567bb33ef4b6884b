"""ITE and induction. Each area's views module lists its own routes, so areas grow without touching
one another: the overview, providers and placements (views), mentoring (views_mentoring), assessment and
causes for concern (views_assessment), timetables (views_timetable), the Professional Development
Programme (views_pdp), induction (views_induction) and the provider's report (views_reports)."""

from protutor.ite import (
    views,
    views_assessment,
    views_induction,
    views_mentoring,
    views_pdp,
    views_reports,
    views_timetable,
)

app_name = "ite"
urlpatterns = [
    *views.urlpatterns,
    *views_mentoring.urlpatterns,
    *views_assessment.urlpatterns,
    *views_timetable.urlpatterns,
    *views_pdp.urlpatterns,
    *views_induction.urlpatterns,
    *views_reports.urlpatterns,
]
