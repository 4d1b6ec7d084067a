"""`make load`: locust against the local stack (infra/local/run.py), job seekers and officers.

- `people.py`: what job seekers and officers do, over any HTTP session (no locust import, so the
  tests drive it in-process);
- `locustfile.py`: the locust user classes that run `people.py` (importing it patches the
  process with gevent: only `__main__` imports it);
- `outcome.py`: what the stack holds at the end (cases' states, cards, emails), read from moto;
- `summary.py`: the figures as a table and as docs/load.md;
- `__main__.py`: the run: settings, the stack, locust, the drain, the report.
"""
