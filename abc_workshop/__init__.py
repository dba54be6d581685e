"""ABC Workshop's core: the domain, the store and the results, with no user interface in it."""
