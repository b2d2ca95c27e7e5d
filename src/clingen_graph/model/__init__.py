"""Records → RDF triples. IRIs come from :mod:`clingen_graph.ids`, terms from :mod:`clingen_graph.terms`."""
