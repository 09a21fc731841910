"""Delegates: registrations read from the secretariat's export, and the documents made for each
person (letters of invitation, badges, the list of participants, certificates)."""
