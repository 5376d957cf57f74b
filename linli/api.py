"""The JSON API root (django-ninja). Routers per app are mounted here."""
from ninja import NinjaAPI

api = NinjaAPI(title="邻里 Linli API", version="1", urls_namespace="api")
