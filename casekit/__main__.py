import sys

from .cli import main

if __name__ == "__main__":  # a fork server's or spawned worker imports this module again
    sys.exit(main())
