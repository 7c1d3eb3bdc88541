"""The online application (issue 17): /my/apply/…, open to anyone (no account: people applying
have no case yet). Each screen's answers are kept in the session (the draft) so that Back and
a refused screen keep what was typed; the last screen files it with
`caseworks.applications.services.online_application_submit`."""
