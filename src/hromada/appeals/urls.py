"""URLs of the appeals module: public intake, cabinet, tracking, reception rooms, staff screens.

The views are filled in by the appeals screens; the names here are stable (models, e-mails
and other modules reverse them).
"""

from django.urls import path

from hromada.appeals import (
    answer_views,
    mailbox_views,
    public_views,
    reception_views,
    report_views,
    retention_views,
    room_views,
    staff_views,
)

app_name = "appeals"

urlpatterns = [
    # public side
    path("appeals/new/", public_views.submit, name="submit"),
    path("appeals/new/done/", public_views.submit_done, name="submit_done"),
    path("appeals/new/addresses/", public_views.addresses, name="addresses"),
    path("appeals/confirm/<str:token>/", public_views.confirm, name="confirm"),
    path("appeals/track/", public_views.track, name="track"),
    path("appeals/statistics/", public_views.statistics, name="statistics"),
    path("appeals/rooms/", room_views.room_list, name="rooms"),
    path("appeals/rooms/<int:pk>/", room_views.room_detail, name="room"),
    path(
        "appeals/receptions/<int:schedule_id>/book/",
        reception_views.book,
        name="reception_book",
    ),
    path(
        "appeals/receptions/booked/<str:token>/",
        reception_views.booked,
        name="reception_booked",
    ),
    path(
        "appeals/receptions/cancel/<str:token>/",
        reception_views.cancel,
        name="reception_cancel",
    ),
    path("cabinet/appeals/", public_views.cabinet, name="cabinet"),
    path("cabinet/appeals/<int:pk>/", public_views.cabinet_detail, name="cabinet_detail"),
    path(
        "cabinet/appeals/<int:pk>/files/<int:file_id>/",
        public_views.cabinet_file,
        name="cabinet_file",
    ),
    path(
        "cabinet/appeals/<int:pk>/follow-up/",
        public_views.cabinet_follow_up,
        name="cabinet_follow_up",
    ),
    path(
        "cabinet/appeals/<int:pk>/complaint/",
        public_views.cabinet_follow_up,
        {"complaint": True},
        name="cabinet_complaint",
    ),
    # staff workspace
    path("staff/appeals/", staff_views.queue, name="queue"),
    path("staff/appeals/<int:pk>/", staff_views.detail, name="detail"),
    path("staff/appeals/mass/<int:pk>/", staff_views.mass_group, name="mass_group"),
    # staff workspace: operator entry, drafts, card actions, mass groups (staff_views)
    path("staff/appeals/new/", staff_views.entry, name="staff_new"),
    path("staff/appeals/new/earlier/", staff_views.earlier_panel, name="earlier"),
    path("staff/appeals/drafts/", staff_views.drafts, name="drafts"),
    path("staff/appeals/drafts/<int:pk>/", staff_views.draft_register, name="draft"),
    path(
        "staff/appeals/drafts/<int:pk>/discard/",
        staff_views.draft_discard,
        name="draft_discard",
    ),
    path("staff/appeals/<int:pk>/edit/", staff_views.correct, name="correct"),
    path("staff/appeals/<int:pk>/extend/", staff_views.extend, name="extend"),
    path("staff/appeals/<int:pk>/forward/", staff_views.forward, name="forward"),
    path("staff/appeals/<int:pk>/return/", staff_views.return_to_applicant, name="return"),
    path("staff/appeals/<int:pk>/not-consider/", staff_views.not_consider, name="not_consider"),
    path("staff/appeals/files/<int:pk>/", staff_views.file_download, name="file"),
    path("staff/appeals/mass/", staff_views.mass_groups, name="mass_groups"),
    path("staff/appeals/mass/mark/", staff_views.mass_mark, name="mass_mark"),
    # answers: prepare, sign, send, DOCX/PDF, the heads' signing queue (answer_views)
    path("staff/appeals/answers/", answer_views.sign_queue, name="answers_to_sign"),
    path("staff/appeals/<int:pk>/answers/new/", answer_views.answer_new, name="answer_new"),
    path(
        "staff/appeals/<int:pk>/answers/<int:answer_id>/",
        answer_views.answer_edit,
        name="answer_edit",
    ),
    path(
        "staff/appeals/<int:pk>/answers/<int:answer_id>/sign/",
        answer_views.answer_sign,
        name="answer_sign",
    ),
    path(
        "staff/appeals/<int:pk>/answers/<int:answer_id>/send/",
        answer_views.answer_send,
        name="answer_send",
    ),
    path(
        "staff/appeals/<int:pk>/answers/<int:answer_id>/delete/",
        answer_views.answer_delete,
        name="answer_delete",
    ),
    path(
        "staff/appeals/<int:pk>/answers/<int:answer_id>/docx/",
        answer_views.answer_docx,
        name="answer_docx",
    ),
    path(
        "staff/appeals/<int:pk>/answers/<int:answer_id>/pdf/",
        answer_views.answer_pdf,
        name="answer_pdf",
    ),
    path("staff/appeals/report/", report_views.report, name="report"),
    # retention: expired appeals, anonymisation acts (retention_views)
    path("staff/appeals/retention/", retention_views.index, name="retention"),
    path(
        "staff/appeals/retention/bodies/<int:body_id>/",
        retention_views.expired,
        name="retention_expired",
    ),
    path(
        "staff/appeals/retention/acts/<int:pk>/", retention_views.act_detail, name="retention_act"
    ),
    path(
        "staff/appeals/retention/acts/<int:pk>/<str:step>/",
        retention_views.act_step,
        name="retention_act_step",
    ),
    path("staff/appeals/dashboard/", report_views.dashboard, name="dashboard"),
    # mayor's mailbox (mailbox_views)
    path("staff/appeals/mailbox/", mailbox_views.mailbox_list, name="mailbox"),
    path("staff/appeals/mailbox/<int:pk>/raw/", mailbox_views.mailbox_raw, name="mailbox_raw"),
    # receptions and reception rooms (reception_views, room_views)
    path("staff/appeals/rooms/", room_views.staff_rooms, name="staff_rooms"),
    path("staff/appeals/rooms/<int:official_id>/edit/", room_views.room_edit, name="room_edit"),
    path("staff/appeals/receptions/", reception_views.staff_receptions, name="receptions"),
    path(
        "staff/appeals/receptions/<int:official_id>/schedules/new/",
        reception_views.schedule_edit,
        name="schedule_new",
    ),
    path(
        "staff/appeals/receptions/<int:official_id>/schedules/<int:schedule_id>/",
        reception_views.schedule_edit,
        name="schedule_edit",
    ),
    path(
        "staff/appeals/receptions/bookings/<int:pk>/cancel/",
        reception_views.booking_cancel,
        name="booking_cancel",
    ),
    path(
        "staff/appeals/receptions/journal/",
        reception_views.journal,
        name="reception_journal",
    ),
    path(
        "staff/appeals/receptions/journal/<int:pk>/",
        reception_views.record_detail,
        name="reception_record",
    ),
]
