app_name = "models_learning-public"

# Public pages of this app (no login): every view here is marked @login_not_required.
urlpatterns = []
