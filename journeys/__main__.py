"""`python -m journeys > docs/journey-schema.json`: the JSON Schema of a journey definition."""

import json

from journeys.models import json_schema

print(json.dumps(json_schema(), indent=2, ensure_ascii=False))
