"""The library staff's pages: the branches a user may work (``home``), the circulation desk
(``desk``), the deliveries board (``deliveries``), transfers (``transfers``), the hold shelf and
the overdue list (``lists``), and the district library's books-to-the-grassroots batches
(``batches``).

Every page is of one library branch the viewer may see (404 for a venue that is not a library);
every change goes through ``culture.library.services`` on POST, by desk staff of the branch
(``services.common.require_desk_staff``: read-only roles see the lists, residents nothing). A
refusal is shown as a clear message, never a 500.
"""
