"""The gateway's rules on their own: git's pkt-lines, whose branch is whose, the rate limit."""

from __future__ import annotations

import pytest

from gitcheckpoints.gateway.pktline import (
    FLUSH,
    ZERO_OID,
    ProtocolError,
    encode,
    filter_advertisement,
    parse_push,
    read_packets,
)
from gitcheckpoints.gateway.policy import BranchPolicy, RateLimit

A, B = "a" * 40, "b" * 40


def test_a_push_body_gives_its_updates_and_where_the_pack_starts():
    body = (
        encode(f"{A} {B} refs/heads/ada-prod\0report-status push-options\n".encode())
        + encode(f"{B} {ZERO_OID} refs/heads/ada-old\n".encode())
        + FLUSH
        + encode(b"an option")
        + FLUSH
        + b"PACK..."
    )
    push = parse_push(body)
    assert [(u.ref, u.is_delete, u.is_create) for u in push.updates] == [
        ("refs/heads/ada-prod", False, False),
        ("refs/heads/ada-old", True, False),
    ]
    assert body[push.pack_offset :] == b"PACK..."


@pytest.mark.parametrize("body", [b"00", b"zzzz", encode(b"not an update\n") + FLUSH])
def test_what_is_not_a_push_is_a_protocol_error(body):
    with pytest.raises(ProtocolError):
        parse_push(body)


def advertisement(*refs: str) -> bytes:
    service = encode(b"# service=git-receive-pack\n") + FLUSH
    lines = [
        encode(f"{A} {ref}".encode() + (b"\0report-status delete-refs" if i == 0 else b"") + b"\n")
        for i, ref in enumerate(refs)
    ]
    return service + b"".join(lines) + FLUSH


def test_the_advertisement_keeps_the_capabilities_on_the_first_kept_ref():
    kept = filter_advertisement(
        advertisement("refs/heads/ada-prod", "refs/heads/bob-prod"), lambda r: "bob" in r
    )
    _, offset = read_packets(kept)
    refs, _ = read_packets(kept, offset)
    assert refs == [f"{A} refs/heads/bob-prod\0report-status delete-refs\n".encode(), None]


def test_with_no_ref_left_the_capabilities_ride_on_the_placeholder():
    kept = filter_advertisement(advertisement("refs/heads/ada-prod"), lambda r: False)
    _, offset = read_packets(kept)
    refs, _ = read_packets(kept, offset)
    assert refs == [f"{ZERO_OID} capabilities^{{}}\0report-status delete-refs\n".encode(), None]


@pytest.mark.parametrize(
    "ref, environments, owned",
    [
        ("refs/heads/ada-prod", (), True),
        ("refs/heads/ada", (), True),
        ("refs/heads/ada-", (), False),
        ("refs/heads/adam-prod", (), False),
        ("refs/heads/bob-prod", (), False),
        ("refs/tags/ada-prod", (), False),
        ("refs/heads/ada-x-prod", ("prod", "staging"), False),
        ("refs/heads/ada-staging", ("prod", "staging"), True),
    ],
)
def test_a_users_branches(ref, environments, owned):
    assert BranchPolicy(environments).owns("ada", ref) is owned


def test_the_rate_limit_refills_over_time_per_user():
    now = [0.0]
    limit = RateLimit(per_minute=60, burst=2, clock=lambda: now[0])
    assert [limit.take("ada"), limit.take("ada")] == [0, 0]
    assert limit.take("ada") == pytest.approx(1.0)  # one a second
    assert limit.take("bob") == 0
    now[0] += 1.0
    assert limit.take("ada") == 0
