"""整改 tracking and 结果应用: `rules` (states, sources, filters as tables), `items` (an item's life: made from a report's
problems, a finding or a person, edited field by field with history), `evidence` (what shows the 整改结果), `intake`
(what an import sets going), `similarity` and `followup` (next year's report matched against open items, each match
proposed), `decisions` (the clerk's answer), `ledger` (the read side), `brief` (what the evaluation means for next
year's budget, as data) and `export` (the brief as PDF and XLSX)."""
