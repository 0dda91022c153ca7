#!/usr/bin/env bash
# Make the default voice clips for calling tickets aloud ("请 A012 号到 3 号窗口办理") with the
# offline engine espeak-ng: Mandarin words and digits with the voice cmn-latn-pinyin (plain
# `cmn` reads tone digits in English), ticket letters with the English voice. Each clip is
# trimmed of silence and stored as 16 kHz mono 16-bit WAV, the format the hall concatenates.
# A centre may replace any clip with its own recording (same name, same format).
#
#   scripts/make-call-clips.sh [FOLDER]     default: content/yubei/audio/calls
#
# Needs: espeak-ng, sox (Debian packages of the same names).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-content/yubei/audio/calls}"
mkdir -p "$out"

clip() {  # clip NAME VOICE TEXT
  espeak-ng -v "$2" -s 150 "$3" --stdout |
    sox -t wav - -r 16000 -c 1 -b 16 "$out/$1.wav" \
      silence 1 0.02 0.5% reverse silence 1 0.02 0.5% reverse gain -n -1
}

clip qing cmn-latn-pinyin "qing3"
clip hao cmn-latn-pinyin "hao4"
clip dao cmn-latn-pinyin "dao4"
clip hao-chuangkou-banli cmn-latn-pinyin "hao4 chuang1 kou3 ban4 li3"
clip shi cmn-latn-pinyin "shi2"
digits=(ling2 yi1 er4 san1 si4 wu3 liu4 qi1 ba1 jiu3)
for n in 0 1 2 3 4 5 6 7 8 9; do
  clip "$n" cmn-latn-pinyin "${digits[$n]}"
done
for letter in A B C D E F G H I J K L M N O P Q R S T U V W X Y Z; do
  clip "$letter" en "$letter"
done
echo "clips written to $out"
