# An imported file may be empty.
