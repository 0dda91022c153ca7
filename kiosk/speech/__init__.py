"""Read-aloud (朗读): offline speech for residents who cannot read well.

An engine writes a WAV file for a text (`engines.py`: pyttsx3 with espeak-ng's
cmn-latn-pinyin voice by default, or any command line such as a sherpa-onnx model staff put in
the data folder); a player plays it (`player.py`: the speaker is the only part not run in
tests); `Speaker` (`speaker.py`) does both on one worker thread so the UI never waits, and
stops at once when the resident leaves the screen. `spoken.py` rewrites text for the ear
(12348 is read digit by digit). No Kivy here.
"""
