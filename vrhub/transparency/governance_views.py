"""Public pages of partnership governance: published agendas, non-exempt papers and approved minutes."""
