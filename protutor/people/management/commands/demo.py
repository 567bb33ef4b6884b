from django.core.management.base import BaseCommand

from protutor.coaching.demo import load_coaching_demo
from protutor.cpd.demo import load_cpd_demo
from protutor.insights.demo import load_insights_demo
from protutor.ite.demo import SCHOOL, load_ite_demo, sign_ins
from protutor.observations.demo import load_observations_demo
from protutor.people.demo import DEMO_PASSWORD, INSTITUTION, load_demo
from protutor.people.models import Institution
from protutor.plans.demo import load_plans_demo
from protutor.resources.demo import load_resources_demo
from protutor.support.demo import load_support_demo
from protutor.team.demo import load_team_demo


class Command(BaseCommand):
    help = "Load the demo college (about 300 staff, five professional tutors, support cases, observations). Safe to re-run."

    def handle(self, *args, **options):
        def progress(message):
            self.stdout.write(f"  {message}")

        result = load_demo(progress=progress)
        college = Institution.objects.get(name=INSTITUTION)
        result.created += load_support_demo(college, progress=progress)
        result.created += load_observations_demo(college, progress=progress)
        result.created += load_cpd_demo(college, progress=progress)
        result.created += load_plans_demo(college, progress=progress)
        result.created += load_team_demo(college, progress=progress)
        result.created += load_coaching_demo(college, progress=progress)
        result.created += load_resources_demo(college, progress=progress)
        result.created += load_insights_demo(college, progress=progress)
        result.created += load_ite_demo(progress=progress)
        self.stdout.write(f"Demo ready: {result.created} records created (0 means it was already loaded).")
        self.stdout.write("")
        self.stdout.write(f"Demo sign-ins (password for all: {DEMO_PASSWORD}):")
        width = max(len(role) for role, _, _ in result.sign_ins)
        for role, name, username in result.sign_ins:
            self.stdout.write(f"  {role.ljust(width)}  {username.ljust(20)}  {name}")
        self.stdout.write("")
        self.stdout.write(f"{SCHOOL} (ITE and induction), same password:")
        school = sign_ins()
        width = max(len(role) for role, _, _ in school)
        for role, name, username in school:
            self.stdout.write(f"  {role.ljust(width)}  {username.ljust(20)}  {name}")
