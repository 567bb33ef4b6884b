"""The demo college's library: made once, with versions, files, retired resources and a shared
collection, and nothing more on a second run."""

from protutor.cpd.demo import load_cpd_demo
from protutor.people.demo import INSTITUTION, load_demo
from protutor.people.models import Institution
from protutor.resources.demo import COLLECTION, load_resources_demo
from protutor.resources.models import Collection, Resource, ResourceVersion
from protutor.resources.search import search
from protutor.support.demo import load_support_demo
from protutor.team.demo import load_team_demo


def test_resources_demo_is_realistic_and_safe_to_rerun(db):
    load_demo()
    college = Institution.objects.get(name=INSTITUTION)
    load_support_demo(college)
    load_cpd_demo(college)
    load_team_demo(college)
    assert load_resources_demo(college) > 0
    library = Resource.objects.filter(institution=college)
    assert 15 <= library.count() <= 25
    # Every resource has a current version; some have been revised, some carry a file, some are retired.
    assert not library.filter(versions__isnull=True).exists()
    assert ResourceVersion.objects.filter(number=2).count() == 2
    assert ResourceVersion.objects.exclude(file="").values("resource").distinct().count() >= 4
    assert library.filter(retired_at__isnull=False).count() == 2
    assert library.filter(standards__isnull=False).distinct().count() >= 10
    collection = Collection.objects.get(institution=college, title=COLLECTION)
    assert collection.resources.count() == 5
    assert collection.links.filter(revoked_at__isnull=True).count() == 1
    assert [r.title for r in search(library, "rosenshine")] == [
        "Rosenshine's principles of instruction: a one-page summary"
    ]
    before = (library.count(), ResourceVersion.objects.count(), Collection.objects.count())
    assert load_resources_demo(college) == 0
    assert (library.count(), ResourceVersion.objects.count(), Collection.objects.count()) == before
