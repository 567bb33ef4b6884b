urlpatterns: list = []


def intern_section(request, intern, today) -> dict:
    return {}
