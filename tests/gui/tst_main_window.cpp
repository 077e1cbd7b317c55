// The studio window, offscreen: it opens the demo model in a worker and shows its card and every tensor; a bad
// path shows an error and keeps the model that was open.
#include "main_window.h"
#include "tensor_table_model.h"
#include "test_support.h"

#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QTableView>
#include <QtTest>

using namespace qs;

class TestMainWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QApplication::setOrganizationName(QStringLiteral("QuantscopeTest"));
        qputenv("QUANTSCOPE_DEMO_MODEL", qs::test::demoModelDir().toUtf8());
    }

    void opensDemoModel()
    {
        MainWindow w;
        w.show();
        QSignalSpy opened(&w, &MainWindow::modelOpened);
        w.openDemoModel();
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 10000);
        QVERIFY(w.currentModel());
        QCOMPARE(w.tensorTable()->rowCount(), 20);
        QCOMPARE(w.tensorTable()->data(w.tensorTable()->index(0, TensorTableModel::Name), Qt::DisplayRole).toString(),
                 QStringLiteral("model.embed_tokens.weight"));
        auto *view = w.findChild<QTableView *>();
        QVERIFY(view);
        QCOMPARE(view->model()->rowCount(), 20);
        QVERIFY(w.windowTitle().contains(QLatin1String("sotu-mini")));
        // The card shows the numbers a person looks for.
        bool sawParams = false;
        for (QLabel *l : w.findChildren<QLabel *>())
            if (l->accessibleName() == QLatin1String("Parameters"))
                sawParams = l->text().remove(QLatin1Char(',')).remove(QChar(0x202F)).remove(QChar(0xA0)).remove(QLatin1Char('.')) == QLatin1String("2622720");
        QVERIFY(sawParams);
    }

    void filterNarrowsTable()
    {
        MainWindow w;
        QSignalSpy opened(&w, &MainWindow::modelOpened);
        w.openDemoModel();
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 10000);
        auto *filter = w.findChild<QLineEdit *>();
        QVERIFY(filter);
        filter->setText(QStringLiteral("down_proj"));
        auto *view = w.findChild<QTableView *>();
        QCOMPARE(view->model()->rowCount(), 2);
        filter->clear();
        QCOMPARE(view->model()->rowCount(), 20);
    }

    void sortsByNumbersNotText()
    {
        MainWindow w;
        QSignalSpy opened(&w, &MainWindow::modelOpened);
        w.openDemoModel();
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 10000);
        auto *view = w.findChild<QTableView *>();
        view->sortByColumn(TensorTableModel::Bytes, Qt::DescendingOrder);
        // the embedding (4096 x 256 BF16 = 2 MiB) is the largest tensor
        QCOMPARE(view->model()->index(0, TensorTableModel::Name).data().toString(), QStringLiteral("model.embed_tokens.weight"));
        view->sortByColumn(TensorTableModel::Bytes, Qt::AscendingOrder);
        QCOMPARE(view->model()->index(0, TensorTableModel::DType).data().toString(), QStringLiteral("BF16"));
        QVERIFY(view->model()->index(0, TensorTableModel::Name).data().toString().contains(QLatin1String("norm")));
    }

    void badPathKeepsModelAndShowsError()
    {
        MainWindow w;
        QSignalSpy opened(&w, &MainWindow::modelOpened);
        QSignalSpy failed(&w, &MainWindow::modelOpenFailed);
        w.openDemoModel();
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 10000);
        const Model *before = w.currentModel();
        w.openModel(QStringLiteral("/no/such/model.gguf"));
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 10000);
        QCOMPARE(w.currentModel(), before);
        QCOMPARE(w.tensorTable()->rowCount(), 20);
        QVERIFY(w.lastError().contains(QLatin1String("/no/such/model.gguf")));
        // a good open clears the error
        w.openDemoModel();
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 2, 10000);
        QVERIFY(w.lastError().isEmpty());
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
