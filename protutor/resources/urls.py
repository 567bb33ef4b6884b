from django.urls import path

from protutor.resources import views

app_name = "resources"
urlpatterns = [
    path("", views.resource_list, name="resource-list"),
    path("new/", views.resource_create, name="resource-create"),
    path("signposted/", views.signposted, name="signposted"),
    path("most-used/", views.most_used, name="most-used"),
    path("<int:pk>/", views.resource_detail, name="resource-detail"),
    path("<int:pk>/edit/", views.resource_edit, name="resource-edit"),
    path("<int:pk>/retire/", views.resource_retire, name="resource-retire"),
    path("<int:pk>/versions/<int:number>/file/", views.version_download, name="version-download"),
    path("collections/", views.collection_list, name="collection-list"),
    path("collections/new/", views.collection_create, name="collection-create"),
    path("collections/<int:pk>/", views.collection_detail, name="collection-detail"),
    path("collections/<int:pk>/edit/", views.collection_edit, name="collection-edit"),
    path("collections/<int:pk>/links/", views.collection_link_create, name="collection-link-create"),
    path(
        "collections/<int:pk>/links/<int:link_pk>/revoke/",
        views.collection_link_revoke,
        name="collection-link-revoke",
    ),
    path("shared/<int:pk>/<str:token>/", views.shared_collection, name="shared-collection"),
    path("shared/<int:pk>/<str:token>/files/<int:version_pk>/", views.shared_file, name="shared-file"),
]
