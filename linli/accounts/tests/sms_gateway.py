"""A stand-in for a deployment's own SMS gateway backend (the deploy check refuses the log and memory ones)."""

from linli.tracking.sms import BaseBackend


class GatewayBackend(BaseBackend):
    def send(self, phone: str, text: str) -> None:
        raise NotImplementedError("tests never send through it")
