"""Sign up, verify the email, reset the password and look after the account."""
