// The studio's language: English (the source), German or Simplified Chinese, switchable while running.
#pragma once

#include <QString>
#include <QStringList>

namespace qs {

// "en", "de", "zh_CN"
QStringList availableLanguages();
QString languageName(const QString &code); // in its own language: "Deutsch", "中文"
// Installs the translator for `code` (replacing the previous one) and makes its locale the default one, which every
// number follows; Qt then sends LanguageChange to every widget.
bool setAppLanguage(const QString &code);
QString appLanguage();
// The saved choice, else the system's language if we have it, else English.
QString preferredLanguage();

} // namespace qs
