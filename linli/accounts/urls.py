from django.urls import path

from linli.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("unlock/", views.UnlockView.as_view(), name="unlock"),
    path("tokens/", views.ApiTokenListView.as_view(), name="token_list"),
    path("tokens/<int:pk>/revoke/", views.ApiTokenRevokeView.as_view(), name="token_revoke"),
]
urlpatterns += [
    path("users/", views.UserListView.as_view(), name="user_list"),
    path("users/new/", views.UserEditView.as_view(), name="user_add"),
    path("users/<int:pk>/edit/", views.UserEditView.as_view(), name="user_edit"),
    path("users/<int:pk>/password/", views.UserPasswordView.as_view(), name="user_password"),
    path("users/<int:pk>/unlock/", views.UserUnlockView.as_view(), name="user_unlock"),
    path("users/<int:pk>/deactivate/", views.UserDeactivateView.as_view(), name="user_deactivate"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("users/<int:pk>/tokens/", views.UserTokenListView.as_view(), name="user_tokens"),
    path("users/<int:pk>/tokens/<int:token_pk>/revoke/", views.UserTokenRevokeView.as_view(), name="user_token_revoke"),
]
