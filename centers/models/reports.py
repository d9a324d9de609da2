"""A centre's yearly activity report: classes and participants by topic, learners, funds."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from units.models import Unit

from .centres import LearningCenter, year_range

# Topics of the yearly report: (key, label). Each has `<key>_classes` and `<key>_participants`.
TOPICS = (
    ("literacy", _("Literacy and post-literacy")),
    ("law", _("Law and policy")),
    ("agriculture", _("Agriculture and technology transfer")),
    ("health", _("Health")),
    ("culture", _("Culture and sport")),
    ("it_other", _("IT and other")),
)
LEARNER_GROUPS = (
    ("learners_women", _("Women")),
    ("learners_ethnic_minorities", _("Ethnic minorities")),
    ("learners_elderly", _("Elderly")),
)
FUND_SOURCES = (
    ("funds_state_budget", _("State budget")),
    ("funds_social", _("Social contributions")),
    ("funds_other", _("Others")),
)
CLASS_FIELDS = tuple(f"{key}_classes" for key, _label in TOPICS)
PARTICIPANT_FIELDS = tuple(f"{key}_participants" for key, _label in TOPICS)
LEARNER_FIELDS = tuple(key for key, _label in LEARNER_GROUPS)
FUND_FIELDS = tuple(key for key, _label in FUND_SOURCES)
FIGURE_FIELDS = (*CLASS_FIELDS, *PARTICIPANT_FIELDS, *LEARNER_FIELDS, *FUND_FIELDS)


def _count(label):
    return models.PositiveIntegerField(label, default=0)


def _classes_need_participants(key):
    return models.CheckConstraint(
        condition=Q(**{f"{key}_classes": 0}) | Q(**{f"{key}_participants__gt": 0}),
        name=f"report_{key}_classes_have_participants",
        violation_error_message=_("Classes were held but no participant is counted."),
    )


class CenterYearReport(models.Model):
    """A centre's activity in one year. Totals are sums of the rows, never stored."""

    center = models.ForeignKey(
        LearningCenter, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="reports"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    # The commune the centre belonged to when the report was filed ("as the units were").
    commune = models.ForeignKey(
        Unit, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+"
    )
    literacy_classes = _count(_("classes: literacy and post-literacy"))
    literacy_participants = _count(_("participant-visits: literacy and post-literacy"))
    law_classes = _count(_("classes: law and policy"))
    law_participants = _count(_("participant-visits: law and policy"))
    agriculture_classes = _count(_("classes: agriculture and technology transfer"))
    agriculture_participants = _count(_("participant-visits: agriculture and technology transfer"))
    health_classes = _count(_("classes: health"))
    health_participants = _count(_("participant-visits: health"))
    culture_classes = _count(_("classes: culture and sport"))
    culture_participants = _count(_("participant-visits: culture and sport"))
    it_other_classes = _count(_("classes: IT and other"))
    it_other_participants = _count(_("participant-visits: IT and other"))
    learners_women = _count(_("learners: women"))
    learners_ethnic_minorities = _count(_("learners: ethnic minorities"))
    learners_elderly = _count(_("learners: elderly"))
    funds_state_budget = models.PositiveBigIntegerField(_("funds: state budget (VND)"), default=0)
    funds_social = models.PositiveBigIntegerField(_("funds: social contributions (VND)"), default=0)
    funds_other = models.PositiveBigIntegerField(_("funds: others (VND)"), default=0)
    note = models.TextField(_("note"), blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    filed_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("yearly activity report")
        verbose_name_plural = _("yearly activity reports")
        ordering = ["center_id", "-year"]
        indexes = [models.Index(fields=["year", "commune"], name="report_year_commune")]
        constraints = [
            models.UniqueConstraint(
                fields=["center", "year"],
                name="report_one_per_center_year",
                violation_error_message=_("This centre already has a report for that year."),
            ),
            year_range("report_year_range"),
            *(_classes_need_participants(key) for key, _label in TOPICS),
        ]

    def __str__(self):
        return f"{self.center} {self.year}"

    def topic_rows(self):
        """(label, classes, participant-visits) per topic, in the report's order."""
        return [
            (label, getattr(self, f"{key}_classes"), getattr(self, f"{key}_participants"))
            for key, label in TOPICS
        ]

    @property
    def total_classes(self):
        return sum(getattr(self, name) for name in CLASS_FIELDS)

    @property
    def total_participants(self):
        return sum(getattr(self, name) for name in PARTICIPANT_FIELDS)

    @property
    def total_funds(self):
        return sum(getattr(self, name) for name in FUND_FIELDS)

    def learner_rows(self):
        return [(label, getattr(self, key)) for key, label in LEARNER_GROUPS]

    def fund_rows(self):
        return [(label, getattr(self, key)) for key, label in FUND_SOURCES]
