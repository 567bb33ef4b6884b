from django.core.management.base import BaseCommand

from protutor.people.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load the demo college (about 300 staff, five professional tutors). Safe to run again."

    def handle(self, *args, **options):
        from protutor.people.models import Institution
        from protutor.support.demo import load_support_demo

        result = load_demo(progress=lambda message: self.stdout.write(f"  {message}"))
        result.created += load_support_demo(
            Institution.objects.get(name="Northbrook College"),
            progress=lambda message: self.stdout.write(f"  {message}"),
        )
        self.stdout.write(f"Demo ready: {result.created} records created (0 means it was already loaded).")
        self.stdout.write("")
        self.stdout.write(f"Demo sign-ins (password for all: {DEMO_PASSWORD}):")
        width = max(len(role) for role, _, _ in result.sign_ins)
        for role, name, username in result.sign_ins:
            self.stdout.write(f"  {role.ljust(width)}  {username.ljust(20)}  {name}")
