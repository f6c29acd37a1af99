"""Admin pages for the email outbox, template previews and the dev mailbox."""
