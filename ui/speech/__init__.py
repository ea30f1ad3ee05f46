"""Audio mode: the kiosk speaks for itself (EN 301 549 5.1.3 closed functionality).

`engine` is the voice (QtTextToSpeech); the controller reads each screen's phrases (`Screen.reading`)
and the focused control, and takes the keypad keys.
"""
