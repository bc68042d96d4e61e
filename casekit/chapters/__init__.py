"""One module per case notebook: the sentences built from the data (``case.story``) and the
exercise checks (``case.check``) that the notebook calls, so no logic lives in its cells."""
