"""Routes of the document workflow screens (namespace "documents")."""

from django.urls import path

from hromada.documents import views

app_name = "documents"

urlpatterns = [
    path("staff/documents/", views.document_list, name="list"),
    path("staff/documents/register/", views.register, name="register"),
    path(
        "staff/documents/correspondents/suggest/",
        views.correspondent_suggest,
        name="correspondent_suggest",
    ),
    path("staff/documents/correspondents/", views.correspondents, name="correspondents"),
    path("staff/documents/<int:document_id>/", views.document_detail, name="detail"),
    path("staff/documents/<int:document_id>/card/", views.edit_card, name="edit_card"),
    path("staff/documents/<int:document_id>/attach/", views.attach, name="attach"),
    path("staff/documents/<int:document_id>/answer/", views.answer_create, name="answer"),
    path("staff/documents/<int:document_id>/submit/", views.answer_submit, name="submit"),
    path("staff/documents/<int:document_id>/sign/", views.sign, name="sign"),
    path(
        "staff/documents/<int:document_id>/register-outgoing/",
        views.register_outgoing,
        name="register_outgoing",
    ),
    path("staff/documents/<int:document_id>/dispatch/", views.dispatch, name="dispatch"),
    path("staff/documents/<int:document_id>/file/", views.file_to_case, name="file_to_case"),
    path("staff/documents/files/<int:file_id>/version/", views.new_version, name="new_version"),
    path("staff/documents/versions/<int:version_id>/", views.file_version, name="file_version"),
    path(
        "staff/documents/approvals/<int:approval_id>/decide/",
        views.approval_decide,
        name="approval_decide",
    ),
    path("staff/documents/journals/", views.journals, name="journals"),
    path("staff/documents/journals/new/", views.journal_create, name="journal_create"),
    path("staff/documents/journals/<int:journal_id>/", views.journal_edit, name="journal_edit"),
    path("staff/documents/cases/", views.cases, name="cases"),
    path("staff/documents/cases/<int:case_id>/close/", views.case_close, name="case_close"),
    path(
        "staff/documents/bodies/<int:body_id>/acts/propose/",
        views.act_propose,
        name="act_propose",
    ),
    path("staff/documents/acts/<int:act_id>/", views.act_detail, name="act_detail"),
    path("staff/documents/acts/<int:act_id>/approve/", views.act_approve, name="act_approve"),
    path("staff/documents/acts/<int:act_id>/execute/", views.act_execute, name="act_execute"),
]
