"""Duty lawyers (值班律师) at every court and detention center: stations, pools, rotas, help records: issue 11."""
