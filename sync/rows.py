"""What a pass does with rows it claimed but did not send, and the alerts for what is not the
portal's doing (the vault, the keyring). Never personal data in a message."""

from __future__ import annotations

import contextlib
import logging

from local_store import OutboxItem, Store
from sync.client import PortalError

log = logging.getLogger("sync")


def give_back(store: Store, submission_ids: list[str]) -> None:
    """Put claimed rows that were not settled back to pending (best effort: the database may be
    what failed; then requeue_stuck at the next start puts them back)."""
    for submission_id in submission_ids:
        try:
            store.outbox.release(submission_id)
        except Exception as exc:  # never hide the error that ended the pass
            log.error(
                "submission %s not given back (%s): requeued at the next start", submission_id, type(exc).__name__
            )


def settle_purged(store: Store, item: OutboxItem) -> None:
    """A claimed row whose answers are gone: another sync delivered it (or staff discarded it)
    since it was claimed. Nothing is sent; a row somehow left waiting goes to staff."""
    with contextlib.suppress(KeyError):
        now = store.outbox.item(item.submission_id)
        if now.state in ("pending", "sending"):
            store.outbox.mark_needs_attention(
                item.submission_id, "answers_gone", "the answers were destroyed before this was sent"
            )
        log.info("submission %s already %s elsewhere: not sent again", item.submission_id, now.state)


def vault_alert(store: Store) -> None:
    """One alert however many passes find the vault unusable (the store may have raised it already)."""
    if any(a.kind == "vault_unusable" for a in store.alerts.list()):
        return
    store.alerts.raise_alert(
        "vault_unusable",
        "Submissions cannot be sent: the kiosk's data key cannot be used (keyring missing, locked or "
        "changed). They are all kept, waiting, and are sent by themselves once IT restores the keyring.",
    )


def keyring_alert(store: Store, exc: PortalError) -> None:
    log.error("the device token cannot be read from the keyring: %s", exc.message)
    store.alerts.raise_alert(
        "keyring_unavailable",
        f"Sending is paused: {exc.message}. Nothing is lost; the kiosk tries again every pass and "
        "carries on by itself when the keyring is back. IT: unlock or restore the kiosk user's keyring.",
    )
