"""``python -m storyline.cli``: the same entry point as the installed ``storyline`` script."""
from .main import main

main()
