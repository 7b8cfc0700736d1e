"""docs/sweeps.md: a test of one's own with the `sim` fixture
(run by tests/scenarios/test_pytest.py)."""


# [doc:fixture]
def test_click(sim):
    s = sim.sim()                        # seeded by --seed / each of --seeds
    app = s.board("b0").app("buttons")
    app.button().click(at=100, hold=50)
    s.run_for(500)
    s.expect("note:press", at=100)
# [/doc:fixture]
