from django.urls import path

from funding.views import reviews

app_name = "funding_reviews"

urlpatterns = [
    path("", reviews.review_list, name="list"),
    path("<int:review_id>/", reviews.review_detail, name="review"),
    path("<int:review_id>/step-back/", reviews.step_back_view, name="step_back"),
    path("proposals/<int:proposal_id>/scores/", reviews.panel_scores, name="panel_scores"),
]
