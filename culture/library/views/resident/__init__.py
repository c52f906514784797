"""The residents' library pages (phone first): search the catalogue of every branch
(``search``), open a title to see where its copies are and borrow it in one step for pickup at a
branch or delivery home, or join the queue when no copy is free (``title``), and see one's loans
(renew), orders and holds (cancel, with a confirm step) and one's history (``mine``).

Searching and opening titles are public; borrowing needs a resident's account (an anonymous
visitor is sent to sign in and comes back to the title). Every change is a POST through
``culture.library.services``; a refusal (the loan limit, no copy free, a suspended card...) comes
back to the page as the service's own message, never as an error page. GET pages never write:
the reader record is made on the first borrowing or hold, not on a visit.
"""
