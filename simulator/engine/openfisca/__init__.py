"""The wall between the engine and OpenFisca-Core's internals.

Only the modules of this package touch private attributes of `openfisca_core` (holders' storage,
populations' holders, monkeypatched methods):

- `builder`: situation -> arrays -> simulation, without `SimulationBuilder.build_from_entities`;
- `session`: the values stored in a simulation between the fixed point's passes;
- `speedups`: the shortcuts through OpenFisca-Core, installed explicitly at start (`install`).
"""
