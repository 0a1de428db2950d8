"""Coverage: how far every commune of an area lives from a team that would accept a patient.

`area` selects the communes, `sites` the eligible sites (and "what if" candidates), `analysis`
finds each commune's nearest eligible site at once (vectorised) and sums the population by
distance; `output` writes the answer as CSV or GeoJSON with the notice that goes with it.
"""
