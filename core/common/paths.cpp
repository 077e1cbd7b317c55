#include "common/paths.h"

#include "io/small_file.h"

#include <QCoreApplication>
#include <QDir>

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
        const std::string p = QDir::cleanPath(c).toStdString();
        if (fileExists(p + "/config.json"))
            return p;
    }
    return {};
}

} // namespace qs
