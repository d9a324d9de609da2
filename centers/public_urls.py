app_name = "centers-public"

# Public pages of this app (no login): every view here is marked @login_not_required.
urlpatterns = []
