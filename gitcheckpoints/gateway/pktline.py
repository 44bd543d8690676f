"""Git's pkt-line framing, for the two places the gateway reads: ref advertisements and
the command list at the start of a receive-pack request (gitprotocol-pack(5))."""

from __future__ import annotations

from dataclasses import dataclass

FLUSH = b"0000"
ZERO_OID = "0" * 40


class ProtocolError(ValueError):
    """The bytes are not the pkt-lines git sends."""


def encode(payload: bytes) -> bytes:
    return b"%04x" % (len(payload) + 4) + payload


def read_packets(data: bytes, offset: int = 0) -> tuple[list[bytes | None], int]:
    """The packets from ``offset`` up to and including the next flush (None); and the end."""
    packets: list[bytes | None] = []
    while True:
        header = data[offset : offset + 4]
        if len(header) < 4:
            raise ProtocolError("truncated pkt-line")
        try:
            length = int(header, 16)
        except ValueError:
            raise ProtocolError(f"bad pkt-line length {header!r}") from None
        if length == 0:
            packets.append(None)
            return packets, offset + 4
        if length < 4 or offset + length > len(data):
            raise ProtocolError("truncated pkt-line")
        packets.append(data[offset + 4 : offset + length])
        offset += length


@dataclass(frozen=True)
class RefUpdate:
    old: str
    new: str
    ref: str

    @property
    def is_delete(self) -> bool:
        return self.new == ZERO_OID

    @property
    def is_create(self) -> bool:
        return self.old == ZERO_OID


@dataclass(frozen=True)
class PushRequest:
    updates: list[RefUpdate]
    #: Where the pack starts in the body (its end when there is none).
    pack_offset: int


def parse_push(body: bytes) -> PushRequest:
    """The ref updates of a receive-pack request body and where its pack starts."""
    packets, offset = read_packets(body)
    updates: list[RefUpdate] = []
    capabilities: set[str] = set()
    for index, packet in enumerate(packets[:-1]):
        assert packet is not None
        line, _, caps = packet.rstrip(b"\n").partition(b"\0")
        if index == 0:
            capabilities = set(caps.decode("ascii", "replace").split())
        if line.startswith(b"shallow "):
            continue
        parts = line.decode("utf-8", "replace").split(" ")
        if len(parts) != 3 or not all(_is_oid(oid) for oid in parts[:2]):
            raise ProtocolError(f"not a ref update: {line[:100]!r}")
        updates.append(RefUpdate(*parts))
    if "push-options" in capabilities and offset < len(body):
        _, offset = read_packets(body, offset)
    return PushRequest(updates, offset)


def filter_advertisement(data: bytes, keep) -> bytes:
    """A smart-HTTP ``info/refs`` answer with only the refs ``keep(ref)`` accepts.

    The capabilities ride on the first ref line; when no ref is left they ride on
    git's placeholder line, as for an empty repository.
    """
    header, offset = read_packets(data)
    refs, _ = read_packets(data, offset)
    capabilities = b""
    kept: list[tuple[bytes, bytes]] = []
    for index, packet in enumerate(refs[:-1]):
        assert packet is not None
        line, _, caps = packet.rstrip(b"\n").partition(b"\0")
        if index == 0:
            capabilities = caps
        oid, _, ref = line.partition(b" ")
        if ref != b"capabilities^{}" and keep(ref.decode("utf-8", "replace")):
            kept.append((oid, ref))
    if not kept:
        kept = [(ZERO_OID.encode(), b"capabilities^{}")]
    lines = [
        encode(oid + b" " + ref + (b"\0" + capabilities if i == 0 else b"") + b"\n")
        for i, (oid, ref) in enumerate(kept)
    ]
    return b"".join(encode(p) if p is not None else FLUSH for p in header) + b"".join(lines) + FLUSH


def _is_oid(text: str) -> bool:
    return len(text) == 40 and all(c in "0123456789abcdef" for c in text)
