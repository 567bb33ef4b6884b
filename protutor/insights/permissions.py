"""Who may see the impact evidence: DESIGN.md section 2, the aggregates row.

Outcome and survey rows are aggregates: the programme lead reads those of the institutions they lead, a
head of department those of their own department only. The administrator imports them (and reads the
import records of the institutions they administer) but sees no dashboard. Impact reports belong to the
programme lead. No one else, and no superuser bypass.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from protutor.core import permissions as registry
from protutor.insights.models import ImpactReport, OutcomeImport, OutcomeRecord, SurveyImport, SurveyResult
from protutor.people.models import Role
from protutor.people.permissions import roles_in_force


def _led(user):
    return roles_in_force(user, Role.PROGRAMME_LEAD).values("institution")


def _headed(user):
    return roles_in_force(user, Role.HEAD_OF_DEPARTMENT).values("department")


def _administered(user):
    return roles_in_force(user, Role.ADMINISTRATOR).values("institution")


def outcome_records_readable_by(user) -> QuerySet[OutcomeRecord]:
    """The programme lead's institutions; a head of department's own department."""
    if not user.is_authenticated:
        return OutcomeRecord.objects.none()
    return OutcomeRecord.objects.filter(Q(institution__in=_led(user)) | Q(department__in=_headed(user)))


def survey_results_readable_by(user) -> QuerySet[SurveyResult]:
    """The programme lead's institutions; a head of department's own department."""
    if not user.is_authenticated:
        return SurveyResult.objects.none()
    return SurveyResult.objects.filter(Q(institution__in=_led(user)) | Q(department__in=_headed(user)))


def outcome_imports_readable_by(user) -> QuerySet[OutcomeImport]:
    """Administrators of the institution imported into."""
    if not user.is_authenticated:
        return OutcomeImport.objects.none()
    return OutcomeImport.objects.filter(institution__in=_administered(user))


def survey_imports_readable_by(user) -> QuerySet[SurveyImport]:
    """Administrators of the institution imported into."""
    if not user.is_authenticated:
        return SurveyImport.objects.none()
    return SurveyImport.objects.filter(institution__in=_administered(user))


def impact_reports_readable_by(user) -> QuerySet[ImpactReport]:
    """The programme lead of the report's institution."""
    if not user.is_authenticated:
        return ImpactReport.objects.none()
    return ImpactReport.objects.filter(institution__in=_led(user))


def can_import_into(user, institution) -> bool:
    return roles_in_force(user, Role.ADMINISTRATOR).filter(institution=institution).exists()


registry.register(OutcomeRecord, outcome_records_readable_by)
registry.register(SurveyResult, survey_results_readable_by)
registry.register(OutcomeImport, outcome_imports_readable_by)
registry.register(SurveyImport, survey_imports_readable_by)
registry.register(ImpactReport, impact_reports_readable_by)
