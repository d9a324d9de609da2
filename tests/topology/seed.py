"""The little the topology test needs, loaded in seconds (the full seed_demo takes minutes): the
Điện Biên unit tree with its villages, the demo accounts (password DEMO_PASSWORD) and the
criteria sets.

    python manage.py shell -c "from tests.topology.seed import seed; seed()"
"""

import sys

import units.demo
from khuyenhoc.management.commands.seed_demo import Command
from models_learning import services


def seed():
    units.demo.seed(sys.stdout)
    Command()._create_accounts()
    services.load_criteria_sets()
