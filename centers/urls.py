app_name = "centers"

# Staff pages of this app, under /portal/ (see khuyenhoc/urls.py).
urlpatterns = []
