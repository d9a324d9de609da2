from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KhuyenhocConfig(AppConfig):
    name = "khuyenhoc"
    verbose_name = _("Study promotion portal")
