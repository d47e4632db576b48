from celery import shared_task

from pairs.services import pairing_announce


@shared_task
def pairing_announce_task(pairing_id: int) -> None:
    pairing_announce(pairing_id=pairing_id)
