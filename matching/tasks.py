from celery import shared_task

from matching.services import match_run_execute


@shared_task
def match_run_execute_task(run_id: int) -> None:
    match_run_execute(run_id=run_id)
