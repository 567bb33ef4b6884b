from django.contrib import admin

from protutor.core.admin import ScopedModelAdmin
from protutor.people.models import Campus, Department, Institution


@admin.register(Institution)
class InstitutionAdmin(ScopedModelAdmin):
    list_display = ["name", "kind", "full_time_hours"]


@admin.register(Campus)
class CampusAdmin(ScopedModelAdmin):
    list_display = ["name", "institution"]
    list_filter = ["institution"]


@admin.register(Department)
class DepartmentAdmin(ScopedModelAdmin):
    list_display = ["name", "campus", "institution"]
    list_filter = ["institution", "campus"]
    search_fields = ["name"]
