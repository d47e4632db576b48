"""Thin tasks: one service call, safe to run twice (a second run finds nothing left to purge)."""

from dataclasses import asdict

from celery import shared_task
from django.utils import timezone

from privacy.services import notes_purge


@shared_task
def purge_notes_task() -> dict[str, int]:
    return asdict(notes_purge(today=timezone.localdate()))
