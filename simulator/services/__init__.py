"""What is built on the engine's results: what-if curves (`variation`) and a calculation's detail
(`explain`). Used by the API and the caseworker pages alike; the engine knows nothing of them."""
