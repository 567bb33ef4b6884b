from django.contrib import admin

from protutor.core import permissions


class ScopedModelAdmin(admin.ModelAdmin):
    """Admin pages start from the model's registered scope, like every other page: no superuser bypass.

    The admin is for configuration only; models with confidential content are never registered in it.
    """

    def get_queryset(self, request):
        return permissions.readable_by(self.model, request.user)
