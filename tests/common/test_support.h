// Helpers every test shares: where ../shared is, and a main() for tests that need it.
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QtTest>

#include "engine/sensitivity.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace qs::test {

// $QUANTSCOPE_SHARED_DIR, else the configured default (../shared beside the checkout). Empty if it does not exist.
QString sharedDir();
QString sharedPath(const QString &relative);
QString sourcePath(const QString &relative); // inside the source tree
QString demoModelDir();                      // resources/demo/sotu-mini in the source tree
// A text of ../shared/data/corpus, decompressed (zstd): "sotu_1790_2010" (training), "sotu_2011_2021" (held out).
QString sharedCorpus(const QString &name);
std::string utf8(const QString &s);
// The built-in held-out text in the demo model's tokens (empty if it cannot be read).
std::vector<int32_t> demoTokens();
// The demo model's sensitivity in `formats`, measured on two windows of 128 tokens of the built-in text (about a
// second): what the allocation and budget tests fit from. Nothing if it cannot be measured.
std::optional<SensitivityResults> demoSensitivity(const std::vector<QuantFormat> &formats);
// The quantscope-cli executable under test ($QUANTSCOPE_CLI).
QString cliPath();

// One run of quantscope-cli: exit status (-1 if it crashed or hung past two minutes) and its output.
struct CliRun {
    int exitCode = -1;
    QByteArray out, err;
};
// `fileSizeLimit` > 0 caps the files it may write (RLIMIT_FSIZE), as a disk that fills up would.
CliRun runCli(const QStringList &args, qint64 fileSizeLimit = 0);

// The text of a PDF as poppler's pdftotext reads it (poppler-utils; installer/dev.sh installs it), or an empty
// string with `error` set when it cannot be read: a PDF that only looks like one fails here.
QString pdfText(const QString &path, QString *error);

// Exit status CTest reads as "skipped" (SKIP_RETURN_CODE).
inline constexpr int kSkipExitCode = 77;

} // namespace qs::test

// main() for a test that needs ../shared: without it, say so loudly and exit 77 so CTest shows "Skipped".
#define QS_TEST_MAIN_SHARED(TestClass)                                                                           \
    int main(int argc, char **argv)                                                                              \
    {                                                                                                            \
        QCoreApplication app(argc, argv);                                                                        \
        /* end-to-end references run minutes per function: Qt Test's 5-minute watchdog is not a limit for them */ \
        if (qEnvironmentVariableIsEmpty("QTEST_FUNCTION_TIMEOUT"))                                               \
            qputenv("QTEST_FUNCTION_TIMEOUT", "1800000");                                                        \
        if (qs::test::sharedDir().isEmpty()) {                                                                   \
            fprintf(stderr, "SKIPPED: %s needs the ../shared test data (set QUANTSCOPE_SHARED_DIR); it is missing.\n", \
                    #TestClass);                                                                                 \
            return qs::test::kSkipExitCode;                                                                      \
        }                                                                                                        \
        TestClass tc;                                                                                            \
        QTEST_SET_MAIN_SOURCE_PATH                                                                               \
        return QTest::qExec(&tc, argc, argv);                                                                    \
    }
