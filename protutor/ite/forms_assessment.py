"""Forms for Assessment Reference Points (judgements, reflection, moderation) and causes for concern.
GOV.UK wording: each message names the field and says what to do."""

from __future__ import annotations

from typing import cast

from django import forms

from protutor.core.forms import ModelMultipleChoiceField, date_field
from protutor.ite.forms import long_text
from protutor.ite.models import CauseForConcern, ReferencePointReview
from protutor.ite.services_assessment import TARGETS_HINT, Entry
from protutor.observations.models import Standard
from protutor.people.models import StaffMember


class StaffMultipleField(ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        department = f" ({obj.department.name})" if getattr(obj, "department", None) else ""
        return f"{obj.full_name}{department}"


class StandardsField(ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.label}: {obj.heading}"


def observation_label(observation) -> str:
    group = f", {observation.group_name}" if observation.group_name else ""
    return f"{observation.observed_on.day} {observation.observed_on:%b %Y}{group}, by {observation.observer.full_name}"


class JudgementForm(forms.Form):
    """A judgement, evidence and observation links for each standard. The observations come as a list,
    so the page costs the same queries however many standards it shows."""

    def __init__(self, *args, standards, scale_choices, observations, intern_name: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.standards = list(standards)
        observation_choices = [(str(o.pk), observation_label(o)) for o in observations]
        for standard in self.standards:
            self.fields[f"grade_{standard.pk}"] = forms.ChoiceField(
                label=f"Judgement for {standard.label}",
                choices=list(scale_choices),
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": f"Select a judgement for {standard.label}"},
            )
            self.fields[f"evidence_{standard.pk}"] = forms.CharField(
                label=f"Evidence for {standard.label}",
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={
                    "max_length": f"The evidence for {standard.label} must be 5,000 characters or fewer"
                },
            )
            if observation_choices:
                self.fields[f"observations_{standard.pk}"] = forms.MultipleChoiceField(
                    label=f"Lesson observations that show {standard.label}",
                    choices=observation_choices,
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                    error_messages={"invalid_choice": f"Select lesson observations of {intern_name}"},
                )

    def clean(self):
        data = super().clean()
        judged = False
        for standard in self.standards:
            grade = data.get(f"grade_{standard.pk}")
            if grade:
                judged = True
            elif f"grade_{standard.pk}" not in self.errors and (
                data.get(f"evidence_{standard.pk}", "").strip() or data.get(f"observations_{standard.pk}")
            ):
                self.add_error(f"grade_{standard.pk}", f"Select a judgement for {standard.label}")
        if not judged and not self.errors and self.standards:
            self.add_error(f"grade_{self.standards[0].pk}", "Select a judgement for at least one standard")
        return data

    def entries(self) -> dict[int, Entry]:
        data = self.cleaned_data
        return {
            s.pk: Entry(
                grade=data.get(f"grade_{s.pk}", ""),
                evidence=data.get(f"evidence_{s.pk}", ""),
                observations=tuple(int(pk) for pk in data.get(f"observations_{s.pk}", [])),
            )
            for s in self.standards
        }


class ReflectionForm(forms.Form):
    reflection = long_text(
        "Your reflection",
        rows=6,
        message="Enter your reflection",
        help_text="What went well against the standards, what you are working on, and the support you need.",
    )


class ModerationForm(forms.Form):
    moderation = forms.ChoiceField(
        label="Do you agree with the judgements?",
        choices=ReferencePointReview.Moderation.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you agree with the judgements"},
    )
    moderation_note = long_text(
        "Moderation note",
        required=False,
        help_text="Say what should be looked at again, if anything. Once agreed, judgements are final.",
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("moderation") == ReferencePointReview.Moderation.CHANGES
            and not (data.get("moderation_note") or "").strip()
        ):
            self.add_error("moderation_note", "Enter what should be looked at again")
        return data


def _supporters_field() -> StaffMultipleField:
    return StaffMultipleField(
        label="Everyone supporting the intern",
        queryset=StaffMember.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="Hold Ctrl (or Cmd on a Mac) to select more than one.",
        error_messages={
            "invalid_choice": "Select supporters from your institution's staff",
            "invalid_pk_value": "Select supporters from your institution's staff",
        },
    )


class ConcernForm(forms.Form):
    category = forms.ChoiceField(
        label="Category",
        choices=CauseForConcern.Category.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the category of concern"},
    )
    concern = long_text(
        "The concern", message="Enter the concern", help_text="What has happened, and since when."
    )
    standards = StandardsField(
        label="Standards the concern is about",
        queryset=Standard.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select at least one standard",
            "invalid_choice": "Select standards from the Teachers' Standards",
        },
    )
    targets = long_text(
        "Targets",
        message="Enter the targets",
        help_text=TARGETS_HINT,
    )
    support = long_text(
        "Support and who gives it",
        message="Enter the support and who gives it",
        help_text="Who does what, and when.",
    )
    review_on = date_field("Review date", help_text="Between 1 and 8 weeks from today.")
    neutral_observer_requested = forms.BooleanField(
        label="Ask the professional tutor to observe as a neutral observer", required=False
    )
    supporters = _supporters_field()

    def __init__(self, *args, standards, supporters, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["standards"]).queryset = standards
        cast(forms.ModelMultipleChoiceField, self.fields["supporters"]).queryset = supporters


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=[
            (CauseForConcern.Status.RESOLVED, "Resolved: the intern is back on track"),
            (CauseForConcern.Status.EXTENDED, "Extended, with a new review date"),
            (CauseForConcern.Status.ESCALATED, "Escalated to the provider"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the outcome"},
    )
    outcome_on = date_field("Date of the outcome")
    note = long_text("Note about the outcome", message="Enter a note about the outcome")
    new_review_on = date_field(
        "New review date", required=False, help_text="If extended: between 1 and 8 weeks from today."
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("outcome") == CauseForConcern.Status.EXTENDED
            and not data.get("new_review_on")
            and "new_review_on" not in self.errors
        ):
            self.add_error("new_review_on", "Enter the new review date")
        return data


class ConcernUpdateForm(forms.Form):
    link_tutor_informed_on = date_field("Date the provider's link tutor was informed", required=False)
    supporters = _supporters_field()

    def __init__(self, *args, supporters, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["supporters"]).queryset = supporters
