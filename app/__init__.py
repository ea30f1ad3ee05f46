"""The kiosk's use cases, never Qt: `app.kiosk` (the composition), `app.visit` (one citizen's visit),
`app.staff_console` and `app.staff_auth` (staff), `app.status` (the one status snapshot),
`app.sync_runner` (what the UI's sync thread runs), `app.enrolment`, `app.config`, `app.doctor`,
`app.logs`, `app.errors`, and `app.cli`, the `dcp-kiosk` command and the composition root."""
