#include "test_support.h"

#include <QDir>
#include <QFileInfo>

namespace qs::test {

QString sharedDir()
{
    QString dir = qEnvironmentVariable("QUANTSCOPE_SHARED_DIR");
    if (dir.isEmpty())
        dir = QStringLiteral(QUANTSCOPE_DEFAULT_SHARED_DIR);
    const QFileInfo fi(dir);
    return fi.isDir() && QFileInfo(dir + QStringLiteral("/models")).isDir() ? QDir::cleanPath(fi.absoluteFilePath()) : QString();
}

QString sharedPath(const QString &relative)
{
    return sharedDir() + QLatin1Char('/') + relative;
}

QString sourcePath(const QString &relative)
{
    return QStringLiteral(QUANTSCOPE_SOURCE_DIR "/") + relative;
}

QString demoModelDir()
{
    return sourcePath(QStringLiteral("resources/demo/sotu-mini"));
}

QString cliPath()
{
    return qEnvironmentVariable("QUANTSCOPE_CLI");
}

} // namespace qs::test
