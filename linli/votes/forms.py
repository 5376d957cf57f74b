"""Forms of the vote pages: a vote on a matter, and a ballot at the door, on paper or on the resident's phone."""

from __future__ import annotations

from django import forms

from linli.core.forms import LinliForm, LinliModelForm
from linli.votes.choices import Choice
from linli.votes.models import Vote


class VoteForm(LinliModelForm):
    class Meta:
        model = Vote
        fields = ["title", "proposal", "rule", "weigh_by_area", "secret", "closes_at", "publicity_days"]
        widgets = {
            "closes_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "proposal": forms.Textarea(attrs={"rows": 4}),
        }


class BallotForm(LinliForm):
    """A household's ballot: its representative (one of its members) and the choice."""

    representative = forms.TypedChoiceField(label="投票代表（本户成员）", coerce=int, choices=())
    choice = forms.ChoiceField(label="表决意见", choices=Choice.choices, widget=forms.RadioSelect)

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["representative"].choices = [(m.pk, m.name) for m in members]


class PaperBallotForm(BallotForm):
    paper_number = forms.CharField(label="表决票编号", max_length=32, help_text="纸质表决票上印的编号。")
    scan = forms.ImageField(label="表决票扫描件或照片", required=False)
