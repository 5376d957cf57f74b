app_name = "channels"
urlpatterns = []
