#include "language.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QSettings>
#include <QTranslator>

namespace qs {

namespace {
QTranslator *g_app = nullptr, *g_qt = nullptr;
QString g_current = QStringLiteral("en");
} // namespace

QStringList availableLanguages() { return {QStringLiteral("en"), QStringLiteral("de"), QStringLiteral("zh_CN")}; }

QString languageName(const QString &code)
{
    if (code == QLatin1String("de"))
        return QStringLiteral("Deutsch");
    if (code == QLatin1String("zh_CN"))
        return QStringLiteral("中文（简体）");
    return QStringLiteral("English");
}

bool setAppLanguage(const QString &code)
{
    if (!availableLanguages().contains(code))
        return false;
    for (QTranslator **t : {&g_app, &g_qt}) {
        if (*t) {
            QCoreApplication::removeTranslator(*t);
            delete *t;
            *t = nullptr;
        }
    }
    g_current = code;
    QSettings().setValue(QStringLiteral("language"), code);
    // Numbers follow the interface's language (number_text.h formats with the default locale): a German interface
    // writes 4,500 bits, never 4.500. The system's own locale is kept when it speaks that language (de_AT, en_GB).
    const QLocale wanted(code), system = QLocale::system();
    QLocale::setDefault(system.language() == wanted.language() && system.script() == wanted.script() ? system : wanted);
    g_app = new QTranslator; // English loads only its plural forms ("1 tensor", "2 tensors")
    if (!g_app->load(QStringLiteral(":/i18n/quantscope_") + code + QStringLiteral(".qm"))) {
        delete g_app;
        g_app = nullptr;
        return false;
    }
    QCoreApplication::installTranslator(g_app);
    if (code == QLatin1String("en"))
        return true;
    g_qt = new QTranslator; // Qt's own dialogs and buttons
    if (g_qt->load(QStringLiteral("qtbase_") + code, QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(g_qt);
    return true;
}

QString appLanguage() { return g_current; }

QString preferredLanguage()
{
    const QString saved = QSettings().value(QStringLiteral("language")).toString();
    if (availableLanguages().contains(saved))
        return saved;
    const QString sys = QLocale().name(); // de_DE, zh_CN
    if (sys.startsWith(QLatin1String("de")))
        return QStringLiteral("de");
    if (sys.startsWith(QLatin1String("zh")))
        return QStringLiteral("zh_CN");
    return QStringLiteral("en");
}

} // namespace qs
