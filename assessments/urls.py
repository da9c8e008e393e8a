from django.urls import path

from assessments import views

app_name = "assessments"

urlpatterns = [
    path("assessments/", views.AssessmentListView.as_view(), name="assessment_list"),
    path("assessments/new/", views.AssessmentCreateView.as_view(), name="assessment_create"),
    path("assessments/<int:pk>/", views.AssessmentDetailView.as_view(), name="assessment_detail"),
    path(
        "assessments/<int:pk>/transition/",
        views.AssessmentTransitionView.as_view(),
        name="assessment_transition",
    ),
]
