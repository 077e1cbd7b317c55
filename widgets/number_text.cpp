#include "number_text.h"

#include <QCoreApplication>
#include <QLocale>

#include <cmath>

namespace qs {

namespace {

// CLDR's percent patterns put a no-break space before the sign in these languages ("#,##0 %"), none in English or
// Chinese ("#,##0%"). QLocale formats the number but has no percent pattern, so the space is decided here.
bool spaceBeforePercent(const QLocale &locale)
{
    switch (locale.language()) {
    case QLocale::German:
    case QLocale::French:
    case QLocale::Spanish:
    case QLocale::Swedish:
    case QLocale::NorwegianBokmal:
    case QLocale::Finnish:
    case QLocale::Czech:
    case QLocale::Slovak:
    case QLocale::Russian:
    case QLocale::Ukrainian:
        return true;
    default:
        return false;
    }
}

} // namespace

QString fixedText(double value, int decimals)
{
    if (!std::isfinite(value))
        return notAvailableText();
    return QLocale().toString(value, 'f', decimals);
}

QString significantText(double value, int digits)
{
    if (!std::isfinite(value))
        return notAvailableText();
    return QLocale().toString(value, 'g', digits);
}

QString integerText(qint64 value) { return QLocale().toString(value); }

QString bytesText(quint64 bytes) { return QLocale().formattedDataSize(static_cast<qint64>(bytes)); }

QString percentText(double fraction, int decimals)
{
    if (!std::isfinite(fraction))
        return notAvailableText();
    const QLocale locale;
    const QString number = locale.toString(100 * fraction, 'f', decimals);
    return spaceBeforePercent(locale) ? QString(number + QChar(0x00A0) + locale.percent()) : QString(number + locale.percent());
}

QString signedText(double value, int digits)
{
    if (!std::isfinite(value))
        return notAvailableText();
    const QLocale locale;
    // a positive value gets the locale's plus sign; negative ones carry the locale's minus already
    const QString number = locale.toString(value, 'g', digits);
    return value > 0 ? locale.positiveSign() + number : number;
}

QString notAvailableText() { return QCoreApplication::translate("qs::NumberText", "n/a"); }

} // namespace qs
