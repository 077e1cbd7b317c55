#include "test_support.h"

#include "common/paths.h"
#include "engine/bpe_tokenizer.h"
#include "engine/evaluation.h"
#include "engine/transformer.h"
#include "engine/weight_source.h"
#include "io/small_file.h"
#include "model/model.h"

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>

#include <csignal>
#include <sys/resource.h>

namespace qs::test {

QString sharedDir()
{
    QString dir = qEnvironmentVariable("QUANTSCOPE_SHARED_DIR");
    if (dir.isEmpty())
        dir = QStringLiteral(QUANTSCOPE_DEFAULT_SHARED_DIR);
    const QFileInfo fi(dir);
    return fi.isDir() && QFileInfo(dir + QStringLiteral("/models")).isDir() ? QDir::cleanPath(fi.absoluteFilePath()) : QString();
}

std::vector<int32_t> demoTokens()
{
    auto m = Model::open(demoModelDir().toStdString());
    auto text = readSmallFile(defaultEvalTextPath());
    if (!m || !text)
        return {};
    auto tok = tokenizerForModel(**m);
    return tok ? tok->encode(std::string(text->begin(), text->end())) : std::vector<int32_t>{};
}

QString sharedCorpus(const QString &name)
{
    QProcess p;
    p.start(QStringLiteral("zstd"), {QStringLiteral("-dc"), sharedPath(QStringLiteral("data/corpus/%1.txt.zst").arg(name))});
    p.waitForFinished(120000);
    return QString::fromUtf8(p.readAllStandardOutput());
}

std::string utf8(const QString &s)
{
    const QByteArray b = s.toUtf8();
    return std::string(b.constData(), static_cast<size_t>(b.size()));
}

std::optional<SensitivityResults> demoSensitivity(const std::vector<QuantFormat> &formats)
{
    auto m = Model::open(demoModelDir().toStdString());
    if (!m)
        return std::nullopt;
    auto w = makeEvalWindows(demoTokens(), PplProtocol::HuggingFace, 128, -1, 2);
    auto t = Transformer::create(std::make_shared<WeightSource>(*m));
    if (!w || !t)
        return std::nullopt;
    SensitivityOptions so;
    so.formats = formats;
    auto sens = measureSensitivity(*t, *w, so);
    if (!sens)
        return std::nullopt;
    return std::move(*sens);
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

CliRun runCli(const QStringList &args, qint64 fileSizeLimit)
{
    QProcess p;
    if (fileSizeLimit > 0)
        p.setChildProcessModifier([fileSizeLimit] {
            // a disk that fills up: writes past the limit fail with EFBIG
            std::signal(SIGXFSZ, SIG_IGN);
            struct rlimit rl{static_cast<rlim_t>(fileSizeLimit), static_cast<rlim_t>(fileSizeLimit)};
            setrlimit(RLIMIT_FSIZE, &rl);
        });
    p.start(cliPath(), args);
    CliRun r;
    if (!p.waitForFinished(120000))
        return r;
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

QString pdfText(const QString &path, QString *error)
{
    const QString tool = QStandardPaths::findExecutable(QStringLiteral("pdftotext"));
    if (tool.isEmpty()) {
        *error = QStringLiteral("pdftotext is missing: apt-get install poppler-utils");
        return {};
    }
    QProcess p;
    p.start(tool, {QStringLiteral("-layout"), path, QStringLiteral("-")});
    if (!p.waitForFinished(60000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        *error = QStringLiteral("pdftotext could not read %1: %2").arg(path, QString::fromUtf8(p.readAllStandardError()));
        return {};
    }
    return QString::fromUtf8(p.readAllStandardOutput());
}

} // namespace qs::test
