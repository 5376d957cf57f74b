"""Demo step of 帮扶与共建 (filled in below)."""


def demo_step(demo):
    return None
