"""The errors a user can cause. The CLI prints any of them as one line and exits non-zero;
anything else is a bug and keeps its traceback."""


class CasekitError(Exception):
    """Base class for every mistake a user can make with casekit."""

    exit_code = 1


class UnknownTable(CasekitError, KeyError):
    """A table name that the data package does not have."""

    def __str__(self) -> str:  # KeyError would wrap the message in quotes
        return str(self.args[0])


class InvalidData(CasekitError):
    """A data package that fails validation."""


class ParameterError(CasekitError, ValueError):
    """A notebook parameter that is unknown, of the wrong type, or out of range."""


class UnknownNotebook(CasekitError):
    """A notebook name or path that is not one of the case notebooks."""


class BatchFileError(CasekitError):
    """A batch file that cannot be read or has a bad entry."""


class BuildError(CasekitError):
    """A build that cannot start (for instance --out is a file)."""


class GradeError(CasekitError):
    """A grading run that cannot start (for instance --out is a file)."""
