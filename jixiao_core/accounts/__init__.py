"""Who is acting: the signed-in account or the command line's operator, asked in one place by every write."""
