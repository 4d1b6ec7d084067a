"""Office administration: the rules behind the administrator's pages (`chalicelib/staff/admin_pages.py`).

An office administrator (Cognito group `<office>.admin`) works on their own office only. One
module per job:

- `offices`: who administers which office, and the office's roles;
- `accounts`: staff accounts and the roles they hold (Cognito through `adapters/staff_directory`);
- `decrees`: delegation decrees, recorded and ended early;
- `letterhead`: the letterhead and numbering of office.yaml, with the next number of each code;
- `sop_files`: an uploaded SOP file checked as `sop check` does, and kept (never activated);
- `posters`: the public form link and QR code of each public service;
- `operator`: the operator's desk: stuck cases, dead-lettered worker messages and failed
  executions, with the actions that free them (retry a message, redrive the office's messages,
  restart a case from a named step);
- `office_log`: the office's log (OfficeEvent, PK `OFFICE#<office>`), where every change is written.

Passwords are never seen here: Cognito emails a new account its temporary password.
"""
