from django.urls import path

from linli.accounts import views, views_twofactor

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
# 两步验证 (linli.accounts.twofactor)
urlpatterns += [
    path("2fa/", views_twofactor.TwoFactorView.as_view(), name="twofactor"),
    path("2fa/verify/", views_twofactor.TwoFactorVerifyView.as_view(), name="twofactor_verify"),
    path("2fa/setup/", views_twofactor.TwoFactorSetupView.as_view(), name="twofactor_setup"),
    path("2fa/codes/", views_twofactor.TwoFactorCodesView.as_view(), name="twofactor_codes"),
    path("2fa/codes/new/", views_twofactor.TwoFactorRegenerateView.as_view(), name="twofactor_regenerate"),
    path("2fa/remove/", views_twofactor.TwoFactorRemoveView.as_view(), name="twofactor_remove"),
    path("users/<int:pk>/2fa-reset/", views_twofactor.UserTwoFactorResetView.as_view(), name="user_twofactor_reset"),
]
