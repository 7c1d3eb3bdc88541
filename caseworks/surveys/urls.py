from django.urls import path

from . import views

app_name = "surveys"
urlpatterns = [
    path("", views.survey_list, name="list"),
    path("new/", views.create, name="create"),
    path("<int:survey_id>/", views.detail, name="detail"),
    path("<int:survey_id>/questions/", views.question_add, name="question_add"),
    path("<int:survey_id>/send/", views.send, name="send"),
    path("<int:survey_id>/results/", views.results, name="results"),
    path("<int:survey_id>/results/export.<str:fmt>", views.results_export, name="results_export"),
    path("answers/<int:response_id>/", views.respond, name="respond"),
]
