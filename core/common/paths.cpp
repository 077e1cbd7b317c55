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

} // namespace qs
