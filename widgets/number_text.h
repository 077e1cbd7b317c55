// Numbers as the reader of the interface reads them: every figure a widget shows goes through these, so that German
// shows 4,500 bits and 6,277 % where English shows 4.500 bits and 6.277%. They format with QLocale() — the default
// locale, which setAppLanguage() points at the interface's language — never with QString::number or arg(double).
#pragma once

#include <QString>

namespace qs {

QString fixedText(double value, int decimals);        // 4,500
QString significantText(double value, int digits);    // 0,0123 (the shortest of fixed and exponent forms)
QString integerText(qint64 value);                    // 2.622.720
// `fraction` as a percentage: 0.06277 with 3 decimals is "6.277%" in English, "6,277 %" in German.
QString percentText(double fraction, int decimals);
QString bytesText(quint64 bytes);                     // 1,5 MiB
// A value with its sign always written (+0,0012, −0,0012, 0), for scales centred on zero.
QString signedText(double value, int digits);
// What a figure shows when it cannot be computed (a source already quantized, a format never measured): "n/a".
QString notAvailableText();

} // namespace qs
