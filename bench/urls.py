"""protutor's pages and a minimal view through the same middleware: the floor that the throughput of a
real page is compared with (bench/run.py)."""

from django.http import HttpResponse
from django.urls import path

from protutor.urls import urlpatterns as protutor_urls


def minimal(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/minimal/", minimal), *protutor_urls]
