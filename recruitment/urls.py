from django.urls import path

from recruitment.views import claims

app_name = "recruitment"

urlpatterns = [
    path("payments.csv", claims.payments_csv, name="payments_csv"),
    path("claims/", claims.claim_queue, name="claims"),
    path("claims/timeliness/", claims.timeliness, name="claims_timeliness"),
    path("claims/in/<slug:state>/", claims.claim_queue, name="claims_in_state"),
    path("claims/<int:pk>/", claims.claim_detail, name="claim"),
    path("claims/<int:pk>/approve/", claims.claim_approve, name="claim_approve"),
    path("claims/<int:pk>/query/", claims.claim_query, name="claim_query"),
    path("claims/<int:pk>/paid/", claims.claim_mark_paid, name="claim_mark_paid"),
    path("receipts/<int:pk>/", claims.claim_receipt, name="claim_receipt"),
]
