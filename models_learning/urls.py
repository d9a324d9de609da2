app_name = "models_learning"

# Staff pages of this app, under /portal/ (see khuyenhoc/urls.py).
urlpatterns = []
