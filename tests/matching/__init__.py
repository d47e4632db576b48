"""Shared builders for the matching tests (pure Python, no database)."""

import random

from matching.score import FORMATS, SLOTS, Person, Rules

LANGUAGES = ("fr", "en", "de")


def person(**fields) -> Person:
    """A participant with neutral defaults; tests name only what matters to them."""
    defaults = {
        "id": 1,
        "user_id": 1,
        "seniority": 10,
        "manager_chain": frozenset(),
        "offers": {},
        "seeks": {},
        "availability": 0,
        "format": "either",
        "languages": frozenset({"fr"}),
        "preferred_language": "fr",
    }
    return Person(**{**defaults, **fields})


def random_cohort(
    seed: int, n_mentors: int, n_mentees: int, n_skills: int = 6, max_capacity: int = 1
) -> tuple[list[Person], list[Person], Rules]:
    """A reproducible random cohort where every hard rule fires now and then."""
    rng = random.Random(seed)
    users = range(n_mentors + n_mentees)

    def someone(i: int, user_id: int) -> Person:
        languages = frozenset(rng.sample(LANGUAGES, rng.randint(1, 2)))
        return Person(
            id=i,
            user_id=user_id,
            seniority=rng.randint(0, 30),
            manager_chain=frozenset(rng.sample(users, rng.randint(0, 2))),
            offers={k: rng.randint(1, 4) for k in rng.sample(range(n_skills), rng.randint(0, 4))},
            seeks={k: rng.randint(1, 4) for k in rng.sample(range(n_skills), rng.randint(0, 3))},
            availability=rng.getrandbits(SLOTS),
            format=rng.choice(FORMATS),
            languages=languages,
            preferred_language=rng.choice(LANGUAGES),
            capacity=rng.randint(1, max_capacity),
            trained=rng.random() < 0.8,
        )

    # A few users are on both sides, so SAME_PERSON happens too.
    mentors = [someone(i, i) for i in range(n_mentors)]
    mentees = [someone(100 + i, rng.choice(users)) for i in range(n_mentees)]
    forbidden = frozenset(
        (rng.randrange(n_mentors), 100 + rng.randrange(n_mentees))
        for _ in range((n_mentors * n_mentees) // 10)
    )
    rules = Rules(min_seniority_gap=rng.randint(-5, 3), training_required=True, forbidden=forbidden)
    return mentors, mentees, rules
