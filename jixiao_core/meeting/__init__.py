"""Meeting material: `brief` (everything a meeting needs about one unit-year, as data), `slides` (the brief as slide
specs), and the renderers `deck` (PPTX), `workbook` (XLSX), `pdf`, `figures` (plotly) and `svg`; `exports` builds
the bytes of a format in one call."""
