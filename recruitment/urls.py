from django.urls import path

from recruitment import views

app_name = "recruitment"

urlpatterns = [
    path("payments.csv", views.payments_csv, name="payments_csv"),
]
