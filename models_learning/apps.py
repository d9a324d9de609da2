from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModelsLearningConfig(AppConfig):
    name = "models_learning"
    verbose_name = _("Learning models")
