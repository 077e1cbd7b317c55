#include "common/paths.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace qs {

std::string demoModelPath()
{
    const QByteArray env = qgetenv("QUANTSCOPE_DEMO_MODEL");
    if (!env.isEmpty())
        return env.toStdString();
    QStringList candidates;
    if (QCoreApplication::instance()) {
        const QString bin = QCoreApplication::applicationDirPath();
        candidates << bin + QStringLiteral("/../share/quantscope/demo/sotu-mini");
    }
    candidates << QStringLiteral(QUANTSCOPE_SOURCE_RESOURCES "/demo/sotu-mini");
    for (const QString &c : candidates) {
        const QString p = QDir::cleanPath(c);
        if (QFileInfo::exists(p + QStringLiteral("/config.json")))
            return p.toStdString();
    }
    return {};
}

std::string defaultEvalTextPath()
{
    const QByteArray env = qgetenv("QUANTSCOPE_EVAL_TEXT");
    if (!env.isEmpty())
        return env.toStdString();
    QStringList candidates;
    if (QCoreApplication::instance())
        candidates << QCoreApplication::applicationDirPath() + QStringLiteral("/../share/quantscope/eval/sotu-2011-sample.txt");
    candidates << QStringLiteral(QUANTSCOPE_SOURCE_RESOURCES "/eval/sotu-2011-sample.txt");
    for (const QString &c : candidates)
        if (QFileInfo::exists(QDir::cleanPath(c)))
            return QDir::cleanPath(c).toStdString();
    return {};
}

} // namespace qs
