// AtomicFile: a partial left by a killed writer is removed by the next writer of the same output, one a live writer
// holds is not; and output paths are checked before any work (folders, missing folders, unwritable folders,
// special files).
#include "io/atomic_file.h"

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace qs;

namespace {

QStringList filesIn(const QString &dir) { return QDir(dir).entryList(QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot, QDir::Name); }

bool touch(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write("partial") == 7;
}

// A descriptor holding an exclusive flock on `path`, as a live writer holds its partial.
struct HeldLock {
    int fd = -1;
    explicit HeldLock(const QString &path) : fd(::open(QFile::encodeName(path).constData(), O_RDWR | O_CLOEXEC))
    {
        if (fd >= 0 && ::flock(fd, LOCK_EX | LOCK_NB) != 0) {
            ::close(fd);
            fd = -1;
        }
    }
    ~HeldLock()
    {
        if (fd >= 0)
            ::close(fd);
    }
};

} // namespace

class TestAtomicFile : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void stalePartialsAreRemoved_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("removed");
        QTest::newRow("stale partial") << "out.gguf.partial-Ab3dE9" << true;
        QTest::newRow("another output's partial") << "other.gguf.partial-Ab3dE9" << false;
        QTest::newRow("suffix too short") << "out.gguf.partial-Ab3dE" << false;
        QTest::newRow("suffix too long") << "out.gguf.partial-Ab3dE9x" << false;
        QTest::newRow("not mkstemp's letters") << "out.gguf.partial-Ab3d.9" << false;
        QTest::newRow("the output's name as a prefix") << "out.gguf2.partial-Ab3dE9" << false;
    }

    void stalePartialsAreRemoved()
    {
        QFETCH(QString, name);
        QFETCH(bool, removed);
        QTemporaryDir dir;
        QVERIFY(touch(dir.path() + "/" + name));
        const std::string out = (dir.path() + "/out.gguf").toStdString();
        QVERIFY(writeFileAtomically(out, std::string("done")).ok());
        const QStringList expected = removed ? QStringList{"out.gguf"} : QStringList{name, "out.gguf"};
        QStringList sorted = expected;
        sorted.sort();
        QCOMPARE(filesIn(dir.path()), sorted);
    }

    void aLockedPartialStays()
    {
        QTemporaryDir dir;
        const QString live = dir.path() + "/out.gguf.partial-L1ve00", stale = dir.path() + "/out.gguf.partial-St4le0";
        QVERIFY(touch(live) && touch(stale));
        HeldLock lock(live); // another open file description: flock() locks conflict even within one process
        QVERIFY(lock.fd >= 0);
        QCOMPARE(removeStalePartials((dir.path() + "/out.gguf").toStdString()), 1);
        QCOMPARE(filesIn(dir.path()), QStringList{"out.gguf.partial-L1ve00"});
        QVERIFY(writeFileAtomically((dir.path() + "/out.gguf").toStdString(), std::string("done")).ok());
        QCOMPARE(filesIn(dir.path()), (QStringList{"out.gguf", "out.gguf.partial-L1ve00"}));
    }

    void aWriterHoldsItsPartialLocked()
    {
        // what the next writer sees while this one works: a partial it must leave alone
        QTemporaryDir dir;
        const std::string out = (dir.path() + "/out.gguf").toStdString();
        AtomicFile writer;
        QVERIFY(writer.open(out).ok());
        QVERIFY(writer.write({reinterpret_cast<const uint8_t *>("abc"), 3}).ok());
        QCOMPARE(removeStalePartials(out), 0);
        AtomicFile second;
        QVERIFY(second.open(out).ok());
        QCOMPARE(filesIn(dir.path()).size(), 2);
        QVERIFY(QFile::exists(QString::fromStdString(writer.tempPath())));
        QVERIFY(writer.commit().ok());
        second.discard();
        QCOMPARE(filesIn(dir.path()), QStringList{"out.gguf"});
    }

    void aKilledWritersPartialIsRemoved()
    {
        QTemporaryDir dir;
        const std::string out = (dir.path() + "/model.gguf").toStdString();
        const pid_t writer = ::fork();
        QVERIFY(writer >= 0);
        if (writer == 0) {
            // a writer killed mid-write, as by kill -9: it never cleans up, and its lock goes with it
            AtomicFile f;
            if (f.open(out).ok() && f.write({reinterpret_cast<const uint8_t *>("half a model"), 12}).ok())
                ::kill(::getpid(), SIGKILL);
            ::_exit(2);
        }
        int status = 0;
        QCOMPARE(::waitpid(writer, &status, 0), writer);
        QVERIFY(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
        const QStringList left = filesIn(dir.path());
        QCOMPARE(left.size(), 1);
        QVERIFY2(left.first().startsWith("model.gguf.partial-"), qPrintable(left.first()));
        QVERIFY(writeFileAtomically(out, std::string("whole")).ok());
        QCOMPARE(filesIn(dir.path()), QStringList{"model.gguf"});
    }

    void outputPaths_data()
    {
        QTest::addColumn<QString>("path"); // {dir} is a fresh temporary folder holding a file "file" and a folder "sub"
        QTest::addColumn<QString>("message"); // empty: writable
        QTest::newRow("new file") << "{dir}/out.gguf" << "";
        QTest::newRow("existing file") << "{dir}/file" << "";
        QTest::newRow("a folder") << "{dir}/sub" << "this is a folder";
        QTest::newRow("a folder, with a slash") << "{dir}/sub/" << "this is a folder";
        QTest::newRow("missing folder") << "{dir}/missing/out.gguf" << "the folder {dir}/missing does not exist";
        QTest::newRow("a file as the folder") << "{dir}/file/out.gguf" << "is not a folder";
        QTest::newRow("a device") << "/dev/null" << "not a regular file";
        // sysfs refuses new files to everyone, root included
        QTest::newRow("unwritable folder") << "/sys/quantscope-test.gguf" << "cannot create files in the folder /sys";
        QTest::newRow("nothing") << "" << "no output file";
    }

    void outputPaths()
    {
        QFETCH(QString, path);
        QFETCH(QString, message);
        QTemporaryDir dir;
        QVERIFY(touch(dir.path() + "/file"));
        QVERIFY(QDir(dir.path()).mkdir("sub"));
        path.replace("{dir}", dir.path());
        message.replace("{dir}", dir.path());
        const Status st = checkOutputPath(path.toStdString());
        if (message.isEmpty()) {
            QVERIFY2(st.ok(), st.ok() ? "" : st.error().describe().c_str());
        } else {
            QVERIFY(!st.ok());
            const QString text = QString::fromStdString(st.error().describe());
            QVERIFY2(text.contains(message), qPrintable(text));
        }
        QCOMPARE(filesIn(dir.path()), QStringList{"file"}); // the probe leaves nothing behind
    }

    void aReadOnlyFolderIsRefused()
    {
        if (::geteuid() == 0)
            QSKIP("root writes in a mode 0555 folder; the /sys row covers refusal for root");
        QTemporaryDir dir;
        QVERIFY(QFile::setPermissions(dir.path(), QFileDevice::ReadOwner | QFileDevice::ExeOwner));
        const Status st = checkOutputPath((dir.path() + "/out.gguf").toStdString());
        QFile::setPermissions(dir.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
        QVERIFY(!st.ok());
        QVERIFY2(QString::fromStdString(st.error().describe()).contains("Permission denied"), st.error().describe().c_str());
    }
};

QTEST_GUILESS_MAIN(TestAtomicFile)
#include "tst_atomic_file.moc"
