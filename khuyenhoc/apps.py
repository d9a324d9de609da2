from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KhuyenhocConfig(AppConfig):
    name = "khuyenhoc"
    verbose_name = _("Study promotion portal")

    def ready(self):
        from lib.limits import register_integer_in_lookup

        from . import checks  # noqa: F401  (registers the system checks)

        register_integer_in_lookup()
