"""The venue manager's booking pages, included by ``culture.booking.urls`` under ``manage/``
(namespace "booking")."""

from django.urls import path

from culture.booking.views.manage import activities, bookings, checkin, rooms

urlpatterns = [
    path("", bookings.manage_home, name="manage_home"),
    path("<str:venue_code>/", bookings.manage_day, name="manage_day"),
    path("<str:venue_code>/check-in/", checkin.manage_checkin, name="manage_checkin"),
    path("<str:venue_code>/approvals/", bookings.manage_approvals, name="manage_approvals"),
    path("<str:venue_code>/b/<str:code>/approve/", bookings.manage_approve, name="manage_approve"),
    path("<str:venue_code>/b/<str:code>/reject/", bookings.manage_reject, name="manage_reject"),
    path("<str:venue_code>/b/<str:code>/cancel/", bookings.manage_cancel, name="manage_cancel"),
    path("<str:venue_code>/b/<str:code>/no-show/", bookings.manage_no_show, name="manage_no_show"),
    path("<str:venue_code>/rooms/", rooms.manage_rooms, name="manage_rooms"),
    path(
        "<str:venue_code>/rooms/<id:room_id>/rule/",
        rooms.manage_room_rule,
        name="manage_room_rule",
    ),
    path(
        "<str:venue_code>/rooms/<id:room_id>/block/",
        rooms.manage_room_block,
        name="manage_room_block",
    ),
    path(
        "<str:venue_code>/blocks/<id:block_id>/delete/",
        rooms.manage_block_delete,
        name="manage_block_delete",
    ),
    path("<str:venue_code>/activities/", activities.manage_activities, name="manage_activities"),
    path(
        "<str:venue_code>/activities/<id:activity_id>/seats/",
        activities.manage_seats,
        name="manage_seats",
    ),
]
