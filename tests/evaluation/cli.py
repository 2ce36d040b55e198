"""The CLI as the launcher builds it for the evaluation: the core's commands with the
evaluation's command plugged in (the core cannot import it itself)."""

from assistant.cli import main as cli_main
from evaluation import command as eval_command


def main(argv, **options) -> int:
    return cli_main(argv, extensions=[eval_command.register], **options)
