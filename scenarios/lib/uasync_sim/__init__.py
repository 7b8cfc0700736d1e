"""uasync scenarios: Python (standard library only) over the simulator."""
