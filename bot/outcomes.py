"""The outcomes of a question, shared by the services, the CLI and the channels.

- ``answer``: a guide entry answers it, confidently.
- ``clarify``: the top entries are offered for the citizen to pick one.
- ``fallback``: an honest "not sure", the office's contacts, and a note that it was recorded.
- ``complaint``: a complaint or tip-off, told where to complain (and 12350 for hazards).
- ``catalogue``: no guide entry fits, but catalogue items match well and are listed.
- ``greeting``: only a greeting, thanks, "that's not it" (不是这个) or 取消 with nothing in
  progress: no question to match.
- ``invalid``: empty, or too long to be a question.
"""

OUTCOMES = ("answer", "clarify", "fallback", "complaint", "catalogue", "greeting", "invalid")
